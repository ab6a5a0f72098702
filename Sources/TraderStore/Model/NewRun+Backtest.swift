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
    /// The statistics by name, durations in seconds; absent durations are left out.
    public var storedValues: [String: Double] {
        var m: [String: Double] = [
            "start": Double(start.nanos) / 1e9, "end": Double(end.nanos) / 1e9,
            "exposureTimePct": exposureTimePct, "equityFinal": equityFinal, "equityPeak": equityPeak,
            "commissions": commissions, "returnPct": returnPct, "buyAndHoldReturnPct": buyAndHoldReturnPct,
            "annualizedReturnPct": annualizedReturnPct, "annualizedVolatilityPct": annualizedVolatilityPct,
            "cagrPct": cagrPct, "sharpeRatio": sharpeRatio, "sortinoRatio": sortinoRatio, "calmarRatio": calmarRatio,
            "alphaPct": alphaPct, "beta": beta, "maxDrawdownPct": maxDrawdownPct, "avgDrawdownPct": avgDrawdownPct,
            "tradeCount": Double(tradeCount), "winRatePct": winRatePct, "bestTradePct": bestTradePct,
            "worstTradePct": worstTradePct, "avgTradePct": avgTradePct, "profitFactor": profitFactor,
            "expectancyPct": expectancyPct, "sqn": sqn, "kellyCriterion": kellyCriterion,
            "annualTradingDays": annualTradingDays,
        ]
        func seconds(_ d: Duration64?, _ key: String) { if let d { m[key] = Double(d.nanos) / 1e9 } }
        seconds(duration, "durationSeconds")
        seconds(maxDrawdownDuration, "maxDrawdownDurationSeconds")
        seconds(avgDrawdownDuration, "avgDrawdownDurationSeconds")
        seconds(maxTradeDuration, "maxTradeDurationSeconds")
        seconds(avgTradeDuration, "avgTradeDurationSeconds")
        return m
    }
}
