public import TraderCore
public import TraderStrategies

/// `--strategy auto`: trades whichever candidate the selector chose for the current period.
///
/// Every candidate sees every bar (so its indicators are warm when it takes over); only the
/// active one's signals go to the kernel. When the choice changes, an open position is closed with
/// a reduce-only market order, so a position is never held on the word of a strategy that is no
/// longer in charge. Before the first decision nothing is traded.
public struct AutoStrategy: Strategy {
    public struct Candidate: Sendable {
        public let name: String
        public var strategy: any Strategy
    }

    public private(set) var candidates: [Candidate]
    /// (first bar, candidate index), by first bar.
    let schedule: [(start: Int, candidate: Int)]
    private var next = 0
    public private(set) var active: Int?

    /// - Parameter schedule: from `SelectionRun.schedule`: the bar from which each choice applies.
    public init(candidates names: [String], schedule: [(start: Int, strategy: String)]) throws(StrategyError) {
        var built: [Candidate] = []
        for name in names { built.append(Candidate(name: name, strategy: try StrategySpec(name: name).makeStrategy())) }
        var mapped: [(Int, Int)] = []
        for entry in schedule {
            guard let i = names.firstIndex(of: entry.strategy) else {
                throw .unknownStrategy(entry.strategy, known: names)
            }
            mapped.append((entry.start, i))
        }
        candidates = built
        self.schedule = mapped.sorted { $0.0 < $1.0 }
    }

    public var warmupBars: Int { candidates.map(\.strategy.warmupBars).max() ?? 0 }

    public mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        var switched = false
        while next < schedule.count && schedule[next].start <= context.barIndex {
            if active != schedule[next].candidate { switched = true }
            active = schedule[next].candidate
            next += 1
        }
        if switched && context.position != 0, let exit = try? Order(side: context.position > 0 ? .sell : .buy, quantity: .entirePosition,
                                                                   reduceOnly: true, submittedAt: bar.timestamp) {
            context.submit(exit)
        }
        var signal = Signal.hold
        for i in candidates.indices {
            let s = candidates[i].strategy.onBar(bar, context: &context)
            if i == active { signal = s }
        }
        return switched ? .hold : signal
    }
}
