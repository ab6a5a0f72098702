public import TraderCore

/// Several symbols' bars on one clock: the union of their timestamps, and for each symbol and
/// each time the index of its bar at that time (or none).
///
/// A symbol without a bar at a time keeps its last price: it is marked at its last close, it
/// cannot trade (there is no open to fill at) and its strategy is not called. Before its first
/// bar a symbol has no price and cannot be held. Built once per run; the columns are shared with
/// the input series, not copied.
public struct PortfolioTimeline: Sendable {
    /// The symbols' series, in the order given.
    public let series: [BarSeries]
    /// Every timestamp of any symbol, increasing, without repeats.
    public let timestamps: [Int64]
    /// `barIndex[s][t]`: index into `series[s]` of its bar at `timestamps[t]`, or −1.
    private let barIndex: [[Int32]]

    /// Aligns `series`; they must be non-empty, of different symbols, and have at least one bar
    /// between them.
    public init(_ series: [BarSeries]) throws(DomainError) {
        guard !series.isEmpty else { throw .invalid(field: "symbols", reason: "a portfolio needs at least one symbol") }
        var seen = Set<String>()
        for s in series where !seen.insert(s.symbol.uppercased()).inserted {
            throw .invalid(field: "symbols", reason: "\(s.symbol) is given twice")
        }
        for s in series where s.count >= Int(Int32.max) {
            throw .invalid(field: "bars", reason: "\(s.symbol) has too many bars for a portfolio run")
        }
        var all: [Int64] = []
        all.reserveCapacity(series.reduce(0) { $0 + $1.count })
        for s in series { all += s.timestamps }
        all.sort()
        var union: [Int64] = []
        union.reserveCapacity(all.count)
        for t in all where union.last != t { union.append(t) }
        guard !union.isEmpty else { throw .invalid(field: "bars", reason: "no symbol has any bars") }

        var index: [[Int32]] = []
        for s in series {
            var column = [Int32](repeating: -1, count: union.count)
            var t = 0
            for (i, ts) in s.timestamps.enumerated() {
                while union[t] < ts { t += 1 }
                column[t] = Int32(i)
            }
            index.append(column)
        }
        self.series = series
        self.timestamps = union
        self.barIndex = index
    }

    /// Number of times on the clock.
    public var count: Int { timestamps.count }
    /// The symbols, in the order given.
    public var symbols: [String] { series.map(\.symbol) }

    /// Index of symbol `s`'s bar at time `t`, nil when it has none.
    public func bar(symbol s: Int, at t: Int) -> Int? {
        let i = index(symbol: s, at: t)
        return i < 0 ? nil : i
    }

    func index(symbol s: Int, at t: Int) -> Int { Int(barIndex[s][t]) }

    /// The index on the timeline of `time`, which must be one of its timestamps (a bar's).
    public func index(of time: Timestamp) -> Int {
        var low = 0, high = timestamps.count - 1
        while low < high {
            let mid = (low + high) / 2
            if timestamps[mid] < time.nanos { low = mid + 1 } else { high = mid }
        }
        precondition(timestamps[low] == time.nanos, "\(time) is not on the timeline")
        return low
    }

    /// The first time at which every symbol has had a bar, nil when that never happens.
    public var firstCommonTime: Int? {
        var first = 0
        for s in series.indices {
            guard let i = barIndex[s].firstIndex(where: { $0 >= 0 }) else { return nil }
            first = max(first, i)
        }
        return first
    }

    /// The benchmark of the statistics: an equal-weight basket of the symbols bought at the close
    /// of `firstCommonTime` and held, marked with each symbol's last close, scaled to 100 there
    /// (and flat at 100 before). It is the "close" column of the series that `MetricsCalculator`
    /// reads for buy and hold, beta and alpha; open, high and low equal it and volume is 0.
    public func basketSeries(symbol: String = "PORTFOLIO") -> BarSeries {
        let n = count
        var close = [Double](repeating: 100, count: n)
        if let start = firstCommonTime {
            var last = [Double](repeating: .nan, count: series.count)
            var base = [Double](repeating: .nan, count: series.count)
            for t in 0..<n {
                for s in series.indices {
                    let i = index(symbol: s, at: t)
                    if i >= 0 { last[s] = series[s].close[i] }
                }
                if t == start { base = last }
                if t >= start {
                    var sum = 0.0
                    for s in series.indices { sum += last[s] / base[s] }
                    close[t] = 100 * sum / Double(series.count)
                }
            }
        }
        let timeframe = series.count == 1 ? series[0].timeframe : (Timeframe.infer(from: timestamps) ?? series[0].timeframe)
        return BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: timestamps, open: close, high: close, low: close,
                         close: close, volume: [Double](repeating: 0, count: n))
    }
}
