public import Foundation
import NIOCore
import PostgresNIO

extension PostgresRunStore {
    @discardableResult
    public func saveRun(_ run: NewRun) async throws -> Bool {
        try RunValidation.check(run)
        let id = run.id.uuidString
        let metrics = MetricsJSON.encode(run.metrics)
        return try await transaction("save run \(id)") { connection in
            let inserted = try await Self.rows(connection, """
                INSERT INTO runs (id, created_at, strategy, symbol, timeframe, configuration, metrics, bar_count, trade_count,
                                  return_pct, sharpe_ratio, max_drawdown_pct)
                VALUES (\(id), \(run.createdAt), \(run.strategy), \(run.symbol), \(run.timeframe), \(run.configuration), \(metrics),
                        \(run.equity.count), \(run.trades.count), \(Self.finite(run.metrics["returnPct"])),
                        \(Self.finite(run.metrics["sharpeRatio"])), \(Self.finite(run.metrics["maxDrawdownPct"])))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: self.logger)
            guard !inserted.isEmpty else { return false }   // stored before: a retried write
            try await Self.insertRows(connection, table: "equity_chunks", columns: EquityChunks.columns,
                                      rowCount: EquityChunks.count(run.equity), logger: self.logger) { i, b in
                let c = EquityChunks.chunk(i, of: run.equity)
                b.append(id); b.append(c.index); b.append(c.firstTimestamp); b.append(c.lastTimestamp); b.append(c.count); b.append(c.data)
            }
            try await Self.insertRows(connection, table: "trade_chunks", columns: TradeChunks.columns,
                                      rowCount: TradeChunks.count(run.trades), logger: self.logger) { i, b in
                let c = TradeChunks.chunk(i, of: run.trades)
                b.append(id); b.append(c.index); b.append(c.count); b.append(c.data)
            }
            return true
        }
    }

    public func listRuns(_ filter: RunFilter) async throws -> [StoredRunSummary] {
        try await list(table: "runs", columns: RunSummaryColumns.list, filter: filter, operation: "list runs").map(Self.summary)
    }

    /// Runs a `ListQuery` on a pooled connection.
    func list(table: String, columns: String, filter: RunFilter, operation: String) async throws -> [PostgresRandomAccessRow] {
        let list = try ListQuery(table: table, columns: columns, filter: filter) { "$\($0)" }
        var binds = PostgresBindings(capacity: list.values.count)
        for value in list.values {
            switch value {
            case .text(let t): binds.append(t)
            case .integer(let i): binds.append(i)
            }
        }
        let query = PostgresQuery(unsafeSQL: list.sql, binds: binds)
        return try await withRetry(operation) { try await Self.rows($0, query, logger: self.logger) }
    }

    public func loadRun(id: UUID) async throws -> StoredRun? {
        let key = id.uuidString
        return try await withRetry("load run \(key)") { connection -> StoredRun? in
            // One snapshot for the run, its curve and its trades.
            try await Self.readOnly(connection, logger: self.logger) { () -> StoredRun? in
                guard let row = try await Self.rows(connection, "SELECT \(unescaped: RunSummaryColumns.list), configuration, metrics FROM runs WHERE id = \(key)",
                                                    logger: self.logger).first else { return nil }
                let summary = try Self.summary(row)
                let equity = try await Self.equity(connection, key, from: nil, to: nil, logger: self.logger)
                let trades = summary.tradeCount == 0 ? [] : try await Self.trades(connection, key, logger: self.logger)
                return StoredRun(summary: summary, configuration: try Self.text(row, "configuration"),
                                 metrics: try MetricsJSON.decode(try Self.text(row, "metrics"), field: "runs.metrics"),
                                 equity: equity, trades: trades)
            }
        }
    }

    public func equity(runID: UUID, from: Int64?, to: Int64?) async throws -> EquityCurve? {
        let key = runID.uuidString
        return try await withRetry("load equity of run \(key)") { connection -> EquityCurve? in
            try await Self.readOnly(connection, logger: self.logger) { () -> EquityCurve? in
                guard try await !Self.rows(connection, "SELECT 1 FROM runs WHERE id = \(key)", logger: self.logger).isEmpty else { return nil }
                return try await Self.equity(connection, key, from: from, to: to, logger: self.logger)
            }
        }
    }

    /// The curve of a run in `[from, to]`, from its chunks, or from `equity_points` for a run
    /// saved before schema v6.
    static func equity(_ connection: PostgresConnection, _ key: String, from: Int64?, to: Int64?, logger: Logger) async throws -> EquityCurve {
        let lower = from ?? .min, upper = to ?? .max
        var timestamps: [Int64] = [], values: [Double] = []
        var chunked = false
        for try await (count, data) in try await connection.query(
            "SELECT count, data FROM equity_chunks WHERE run_id = \(key) AND last_ts >= \(lower) AND first_ts <= \(upper) ORDER BY chunk",
            logger: logger).decode((Int64, ByteBuffer).self) {
            try EquityChunks.decode(data, count: Int(count), into: &timestamps, &values)
            chunked = true
        }
        if chunked { return EquityChunks.slice(EquityCurve(timestamps: timestamps, values: values), from: from, to: to) }
        for try await (ts, value) in try await connection.query(
            "SELECT ts, equity FROM equity_points WHERE run_id = \(key) AND ts >= \(lower) AND ts <= \(upper) ORDER BY idx",
            logger: logger).decode((Int64, Double?).self) {
            timestamps.append(ts)
            values.append(value ?? .nan)
        }
        return EquityCurve(timestamps: timestamps, values: values)
    }

    /// The trades of a run, from its chunks, or from `trades` for a run saved before schema v8.
    static func trades(_ connection: PostgresConnection, _ key: String, logger: Logger) async throws -> [StoredTrade] {
        var trades: [StoredTrade] = []
        var chunked = false
        for try await (count, data) in try await connection.query(
            "SELECT count, data FROM trade_chunks WHERE run_id = \(key) ORDER BY chunk", logger: logger).decode((Int64, ByteBuffer).self) {
            try TradeChunks.decode(data, count: Int(count), into: &trades)
            chunked = true
        }
        if chunked { return trades }
        return try await rows(connection, "SELECT * FROM trades WHERE run_id = \(key) ORDER BY idx", logger: logger).map { r in
            StoredTrade(size: try double(r, "size"), entryTime: try int(r, "entry_time"), exitTime: try int(r, "exit_time"),
                        entryPrice: try double(r, "entry_price"), exitPrice: try double(r, "exit_price"),
                        commission: try double(r, "commission"), pnl: try double(r, "pnl"),
                        returnPct: try double(r, "return_pct"), exitReason: try text(r, "exit_reason"))
        }
    }

    @discardableResult
    public func deleteRun(id: UUID) async throws -> Bool {
        let key = id.uuidString
        return try await transaction("delete run \(key)") { connection in
            !(try await Self.rows(connection, "DELETE FROM runs WHERE id = \(key) RETURNING id", logger: self.logger).isEmpty)
        }
    }

    static func summary(_ r: PostgresRandomAccessRow) throws -> StoredRunSummary {
        StoredRunSummary(id: try uuid(r, "id"), createdAt: try int(r, "created_at"), strategy: try text(r, "strategy"),
                   symbol: try text(r, "symbol"), timeframe: try text(r, "timeframe"), barCount: Int(try int(r, "bar_count")),
                   tradeCount: Int(try int(r, "trade_count")), returnPct: try optionalDouble(r, "return_pct"),
                   sharpeRatio: try optionalDouble(r, "sharpe_ratio"), maxDrawdownPct: try optionalDouble(r, "max_drawdown_pct"))
    }

    static func finite(_ value: Double?) -> Double? { value.flatMap { $0.isFinite ? $0 : nil } }
}
