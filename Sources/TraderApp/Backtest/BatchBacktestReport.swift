public import Foundation
public import TraderCore
public import TraderEngine

/// A batch of backtests (`backtest --symbols A,B,C`, a folder, the API): each symbol's result
/// and saved run, and the total over all of them, each symbol trading its own full capital.
public struct BatchBacktestReport: Sendable {
    /// The strategy, as `StrategySpec.description` names it.
    public let strategy: String
    public let results: [BacktestResult]
    /// Each result's saved run, when the run history keeps them.
    public let runIDs: [UUID?]
    /// The capital each symbol started with.
    public let capitalPerSymbol: Double

    public init(strategy: String, results: [BacktestResult], runIDs: [UUID?], capitalPerSymbol: Double) {
        self.strategy = strategy
        self.results = results
        self.runIDs = runIDs
        self.capitalPerSymbol = capitalPerSymbol
    }

    public var capital: Double { capitalPerSymbol * Double(results.count) }
    public var equityFinal: Double { results.reduce(0) { $0 + $1.metrics.equityFinal } }
    public var trades: Int { results.reduce(0) { $0 + $1.metrics.tradeCount } }
    public var bars: Int { results.reduce(0) { $0 + $1.barCount } }
    /// The total's return: final equity over all the capital.
    public var returnPct: Double { (equityFinal - capital) / capital * 100 }

    /// What `backtest --symbols ... --output json` prints: a row per symbol and the total.
    public var document: JSONValue {
        let rows: [JSONValue] = zip(results, runIDs).map { r, id in
            let m = r.metrics
            return .object([("run_id", id.map { .string($0.uuidString.lowercased()) } ?? .null), ("symbol", .string(r.symbol)),
                            ("bars", .integer(r.barCount)), ("return_pct", .number(m.returnPct)),
                            ("sharpe_ratio", .number(m.sharpeRatio)), ("max_drawdown_pct", .number(m.maxDrawdownPct)),
                            ("trades", .integer(m.tradeCount)), ("win_rate_pct", .number(m.winRatePct)),
                            ("equity_final", .number(m.equityFinal))])
        }
        return .object([
            ("strategy", .string(strategy)), ("symbols", .array(rows)),
            ("total", .object([("capital", .number(capital)), ("equity_final", .number(equityFinal)),
                               ("return_pct", .number(returnPct)), ("trades", .integer(trades))])),
        ])
    }
}

extension BacktestService {
    /// Runs `requests` as a batch (`runBatch`) and saves each result in `history` when given.
    public func batch(_ requests: [BacktestRequest], jobs: Int, history: RunHistory?,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) async throws(AppError) -> BatchBacktestReport {
        let results = try await runBatch(requests, jobs: jobs, progress: progress)
        var ids: [UUID?] = []
        for (result, request) in zip(results, requests) { ids.append(try await history?.save(result, request: request)) }
        return BatchBacktestReport(strategy: requests.first?.strategy.description ?? "", results: results, runIDs: ids,
                                   capitalPerSymbol: requests.first?.settings.initialCapital ?? 0)
    }
}
