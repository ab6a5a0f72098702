public import Foundation
public import TraderCore
public import TraderEngine

extension StoredTrade {
    /// The stored form of an engine trade.
    public init(_ trade: Trade) {
        self.init(size: trade.size, entryTime: trade.entryTime.nanos, exitTime: trade.exitTime.nanos,
                  entryPrice: trade.entryPrice, exitPrice: trade.exitPrice, commission: trade.commission,
                  pnl: trade.pnl, returnPct: trade.returnPct, exitReason: trade.exitReason.rawValue)
    }
}

extension NewRun {
    /// A backtest result ready to store. `configuration` is the JSON text the caller chose to
    /// describe the run (the app knows the strategy parameters and data range; the engine's
    /// result does not carry all of them).
    public init(_ result: BacktestResult, configuration: String, id: UUID = UUID(), createdAt: Int64? = nil) {
        self.init(id: id, createdAt: createdAt ?? StoreClock.nowNanos(), strategy: result.strategy, symbol: result.symbol,
                  timeframe: "\(result.timeframe)", configuration: configuration,
                  metrics: result.metrics.storedValues,
                  equity: EquityCurve(timestamps: result.timestamps, values: result.equity),
                  trades: result.trades.map(StoredTrade.init))
    }
}

extension PerformanceMetrics {
    /// The plain-number statistics by their stored name; one table for writing and reading so
    /// the two cannot disagree.
    static var storedNumbers: [(String, WritableKeyPath<PerformanceMetrics, Double>)] { [
        ("exposureTimePct", \.exposureTimePct), ("equityFinal", \.equityFinal), ("equityPeak", \.equityPeak),
        ("commissions", \.commissions), ("returnPct", \.returnPct), ("buyAndHoldReturnPct", \.buyAndHoldReturnPct),
        ("annualizedReturnPct", \.annualizedReturnPct), ("annualizedVolatilityPct", \.annualizedVolatilityPct),
        ("cagrPct", \.cagrPct), ("sharpeRatio", \.sharpeRatio), ("sortinoRatio", \.sortinoRatio), ("calmarRatio", \.calmarRatio),
        ("alphaPct", \.alphaPct), ("beta", \.beta), ("maxDrawdownPct", \.maxDrawdownPct), ("avgDrawdownPct", \.avgDrawdownPct),
        ("winRatePct", \.winRatePct), ("bestTradePct", \.bestTradePct), ("worstTradePct", \.worstTradePct),
        ("avgTradePct", \.avgTradePct), ("profitFactor", \.profitFactor), ("expectancyPct", \.expectancyPct), ("sqn", \.sqn),
        ("kellyCriterion", \.kellyCriterion), ("annualTradingDays", \.annualTradingDays),
    ] }

    /// The optional durations, stored in seconds.
    static var storedDurations: [(String, WritableKeyPath<PerformanceMetrics, Duration64?>)] { [
        ("maxDrawdownDurationSeconds", \.maxDrawdownDuration), ("avgDrawdownDurationSeconds", \.avgDrawdownDuration),
        ("maxTradeDurationSeconds", \.maxTradeDuration), ("avgTradeDurationSeconds", \.avgTradeDuration),
    ] }

    /// The statistics by name, times and durations in seconds; absent durations are left out.
    public var storedValues: [String: Double] {
        var m: [String: Double] = ["start": Self.seconds(start.nanos), "end": Self.seconds(end.nanos),
                                   "durationSeconds": Self.seconds(duration.nanos), "tradeCount": Double(tradeCount)]
        for (key, path) in Self.storedNumbers { m[key] = self[keyPath: path] }
        for (key, path) in Self.storedDurations { if let d = self[keyPath: path] { m[key] = Self.seconds(d.nanos) } }
        return m
    }

    /// The statistics read back from `storedValues`; a missing number is NaN (undefined), a
    /// missing duration nil. Times and durations are exact to the nanosecond for whole
    /// microseconds (a double holds seconds since 1970 to about 0.2 µs).
    public init(storedValues m: [String: Double]) {
        self = .undefined
        func nanos(_ key: String) -> Int64? { m[key].flatMap { $0.isFinite ? Int64(($0 * 1e9).rounded()) : nil } }
        start = Timestamp(nanos: nanos("start") ?? 0)
        end = Timestamp(nanos: nanos("end") ?? 0)
        duration = Duration64(nanos: nanos("durationSeconds") ?? 0)
        tradeCount = m["tradeCount"].flatMap { $0.isFinite ? Int($0) : nil } ?? 0
        for (key, path) in Self.storedNumbers { self[keyPath: path] = m[key] ?? .nan }
        for (key, path) in Self.storedDurations { self[keyPath: path] = nanos(key).map(Duration64.init(nanos:)) }
    }

    private static func seconds(_ nanos: Int64) -> Double { Double(nanos) / 1e9 }
}
