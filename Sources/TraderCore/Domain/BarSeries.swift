/// A columnar series of bars for one instrument: one contiguous column per field.
///
/// Columnar storage is what keeps the bar loop fast (sequential loads, no per-bar objects) and
/// lets many parallel workers share one read-only copy: copies and slices of a `BarSeries` share
/// the columns' memory. A column (`BarColumn`) is either an array's storage (bars built in
/// memory: CSV, synthetic, decoded) or the pages of a memory-mapped bar store file, used in
/// place; either way it keeps its memory alive for as long as any series or slice uses it.
/// Invariants are checked at construction: equal column lengths, strictly increasing
/// timestamps, finite positive prices, `low <= open, close <= high`, non-negative volume
/// (`Bar.violation`).
public struct BarSeries: Sendable {
    public let symbol: String
    public let timeframe: Timeframe
    public let timestamps: BarColumn<Int64>
    public let open: BarColumn<Double>
    public let high: BarColumn<Double>
    public let low: BarColumn<Double>
    public let close: BarColumn<Double>
    public let volume: BarColumn<Double>

    /// Validates and builds a series. `timeframe` is inferred from the spacing when nil.
    public init(
        symbol: String, timeframe: Timeframe? = nil, timestamps: [Int64],
        open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]
    ) throws(DomainError) {
        try self.init(symbol: symbol, timeframe: timeframe, columns: BarColumn(timestamps), open: BarColumn(open),
                      high: BarColumn(high), low: BarColumn(low), close: BarColumn(close), volume: BarColumn(volume))
    }

    /// Validates and builds a series over existing columns (sharing them, as slices and the bar
    /// store's loads do). `timeframe` is inferred from the spacing when nil.
    public init(
        symbol: String, timeframe: Timeframe? = nil, columns timestamps: BarColumn<Int64>,
        open: BarColumn<Double>, high: BarColumn<Double>, low: BarColumn<Double>, close: BarColumn<Double>,
        volume: BarColumn<Double>
    ) throws(DomainError) {
        let n = timestamps.count
        guard open.count == n, high.count == n, low.count == n, close.count == n, volume.count == n else {
            throw .invalid(field: "bars", reason: "columns have different lengths")
        }
        for i in 0..<n {
            if i > 0 && timestamps[i] <= timestamps[i - 1] {
                throw .invalid(field: "bars", reason: "timestamp at bar \(i) (\(Timestamp(nanos: timestamps[i]))) is not after the previous one")
            }
            if let why = Bar.violation(open: open[i], high: high[i], low: low[i], close: close[i], volume: volume[i]) {
                throw .invalid(field: "bars", reason: "bar \(i) (\(Timestamp(nanos: timestamps[i]))): \(why)")
            }
        }
        self.init(unchecked: symbol, timeframe: timeframe ?? Timeframe.infer(from: timestamps) ?? .day1,
                  columns: timestamps, open: open, high: high, low: low, close: close, volume: volume)
    }

    /// Builds a series from columns the caller has already validated (the CSV reader checks each
    /// row as it parses, with file and line in its errors). The arrays' storage is shared.
    public init(
        unchecked symbol: String, timeframe: Timeframe, timestamps: [Int64],
        open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]
    ) {
        self.init(unchecked: symbol, timeframe: timeframe, columns: BarColumn(timestamps), open: BarColumn(open),
                  high: BarColumn(high), low: BarColumn(low), close: BarColumn(close), volume: BarColumn(volume))
    }

    /// Builds a series over columns the caller has already validated: the zero-copy form (the
    /// bar store hands out its mapped columns this way).
    ///
    /// - Precondition: the columns have the same length.
    public init(
        unchecked symbol: String, timeframe: Timeframe, columns timestamps: BarColumn<Int64>,
        open: BarColumn<Double>, high: BarColumn<Double>, low: BarColumn<Double>, close: BarColumn<Double>,
        volume: BarColumn<Double>
    ) {
        let n = timestamps.count
        precondition(open.count == n && high.count == n && low.count == n && close.count == n && volume.count == n,
                     "BarSeries columns have different lengths")
        self.symbol = symbol
        self.timeframe = timeframe
        self.timestamps = timestamps
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    @inlinable public var count: Int { timestamps.count }
    @inlinable public var isEmpty: Bool { timestamps.isEmpty }

    /// The bar at `index`, assembled from the columns.
    @inlinable public subscript(index: Int) -> Bar {
        Bar(timestamp: Timestamp(nanos: timestamps[index]), open: open[index], high: high[index],
            low: low[index], close: close[index], volume: volume[index])
    }

    public var first: Bar? { isEmpty ? nil : self[0] }
    public var last: Bar? { isEmpty ? nil : self[count - 1] }

    /// The bars with `start <= timestamp <= end` (either bound optional), found by binary search.
    public func slice(from start: Timestamp? = nil, through end: Timestamp? = nil) -> BarSeries {
        let lo = start.map { lowerBound($0.nanos) } ?? 0
        let hi = end.map { upperBound($0.nanos) } ?? count
        return slice(lo..<max(lo, hi))
    }

    /// The bars at positions `range`, sharing this series' memory (no copy; the slice keeps all
    /// of it alive).
    public func slice(_ range: Range<Int>) -> BarSeries {
        BarSeries(unchecked: symbol, timeframe: timeframe, columns: timestamps.extracting(range),
                  open: open.extracting(range), high: high.extracting(range), low: low.extracting(range),
                  close: close.extracting(range), volume: volume.extracting(range))
    }

    /// The same bars in columns of their own (arrays): six copies. For a series that must not
    /// depend on the memory it came from.
    public func copied() -> BarSeries {
        BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: timestamps.array, open: open.array,
                  high: high.array, low: low.array, close: close.array, volume: volume.array)
    }

    /// Bytes the columns span (in the process's memory or in a mapped file).
    public var byteCount: Int { count * (MemoryLayout<Int64>.stride + 5 * MemoryLayout<Double>.stride) }

    /// First index with timestamp >= t.
    public func lowerBound(_ t: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi { let mid = (lo + hi) / 2; if timestamps[mid] < t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// First index with timestamp > t.
    public func upperBound(_ t: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi { let mid = (lo + hi) / 2; if timestamps[mid] <= t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    /// True when more than 60 % of the expected weekend share of bars falls on Saturday or Sunday:
    /// backtesting.py's test for markets that trade every day (365-day years instead of 252).
    public var tradesOnWeekends: Bool {
        guard !isEmpty else { return false }
        var weekend = 0
        // Timestamps are sorted: recompute the weekday only when a new calendar day starts.
        var dayEnd = Int64.min
        var isWeekend = false
        for t in timestamps {
            if t >= dayEnd {
                let ts = Timestamp(nanos: t)
                dayEnd = (ts.epochDay + 1) * Timestamp.nanosPerDay
                isWeekend = ts.weekday >= 5
            }
            if isWeekend { weekend += 1 }
        }
        return BarSeries.isWeekendTrading(weekendBars: weekend, totalBars: count)
    }

    /// The weekend rule on counts: more than 60 % of 2/7 of the bars fall on weekends.
    @inlinable
    public static func isWeekendTrading(weekendBars: Int, totalBars: Int) -> Bool {
        totalBars > 0 && Double(weekendBars) / Double(totalBars) > 2.0 / 7.0 * 0.6
    }
}
