import TraderCore
@testable import TraderEngine

/// A strategy scripted by bar index: emits the given signals and submits the given orders.
struct ScriptedStrategy: Strategy {
    var signals: [Int: Signal] = [:]
    var orders: [Int: [Order]] = [:]
    var seen: [Int] = []
    var warmupBars: Int { 1 }

    mutating func onBar(_ bar: Bar, context: inout StrategyContext) -> Signal {
        seen.append(context.barIndex)
        for o in orders[context.barIndex] ?? [] { context.submit(o) }
        return signals[context.barIndex] ?? .hold
    }
}

/// Daily bars from (open, high, low, close) tuples, starting 2024-01-01, one per day.
func series(_ rows: [(Double, Double, Double, Double)]) -> BarSeries {
    let start = Timestamp(year: 2024, month: 1, day: 1).nanos
    return try! BarSeries(
        symbol: "TEST", timeframe: .day1,
        timestamps: rows.indices.map { start + Int64($0) * Timestamp.nanosPerDay },
        open: rows.map(\.0), high: rows.map(\.1), low: rows.map(\.2), close: rows.map(\.3),
        volume: rows.map { _ in 1000 })
}

func settings(_ configure: (inout ExecutionSettings) -> Void = { _ in }) -> ExecutionSettings {
    var s = ExecutionSettings()
    s.initialCapital = 10_000
    configure(&s)
    return s
}

func flat(_ n: Int, price: Double = 100) -> [(Double, Double, Double, Double)] {
    Array(repeating: (price, price, price, price), count: n)
}
