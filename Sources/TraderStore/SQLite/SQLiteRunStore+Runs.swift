public import Foundation
import SQLiteNIO

extension SQLiteRunStore {
    @discardableResult
    public func saveRun(_ run: NewRun) async throws -> Bool {
        try RunValidation.check(run)
        return try await transaction("save run \(run.id)") {
            let id = run.id.uuidString
            let inserted = try await self.run(
                """
                INSERT INTO runs (id, created_at, strategy, symbol, timeframe, configuration, metrics, bar_count, trade_count,
                                  return_pct, sharpe_ratio, max_drawdown_pct)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id
                """,
                [.text(id), .integer(Int(run.createdAt)), .text(run.strategy), .text(run.symbol), .text(run.timeframe),
                 .text(run.configuration), .text(MetricsJSON.encode(run.metrics)), .integer(run.equity.count),
                 .integer(run.trades.count), Self.real(run.metrics["returnPct"]), Self.real(run.metrics["sharpeRatio"]),
                 Self.real(run.metrics["maxDrawdownPct"])],
                "save run \(id)")
            guard !inserted.isEmpty else { return false }   // stored before: a retried write
            try await insertRows(table: "equity_chunks", columns: EquityChunks.columns, rowCount: EquityChunks.count(run.equity),
                                 operation: "save equity of run \(id)") { i, binds in
                let c = EquityChunks.chunk(i, of: run.equity)
                binds.append(contentsOf: [.text(id), .integer(c.index), .integer(Int(c.firstTimestamp)), .integer(Int(c.lastTimestamp)),
                                          .integer(c.count), .blob(c.data)])
            }
            try await insertRows(table: "trade_chunks", columns: TradeChunks.columns, rowCount: TradeChunks.count(run.trades),
                                 operation: "save trades of run \(id)") { i, binds in
                let c = TradeChunks.chunk(i, of: run.trades)
                binds.append(contentsOf: [.text(id), .integer(c.index), .integer(c.count), .blob(c.data)])
            }
            return true
        }
    }

    public func listRuns(_ filter: RunFilter) async throws -> [StoredRunSummary] {
        let rows = try await list(table: "runs", columns: RunSummaryColumns.list, filter: filter, operation: "list runs")
        return try rows.map(Self.summary)
    }

    /// Runs a `ListQuery` under the lock.
    func list(table: String, columns: String, filter: RunFilter, operation: String) async throws -> [SQLiteRow] {
        let query = try ListQuery(table: table, columns: columns, filter: filter) { _ in "?" }
        let binds: [SQLiteData] = query.values.map {
            switch $0 {
            case .text(let t): .text(t)
            case .integer(let i): .integer(i)
            }
        }
        return try await lock.withLock { try await self.run(query.sql, binds, operation) }
    }

    public func loadRun(id: UUID) async throws -> StoredRun? {
        let key = id.uuidString
        let operation = "load run \(key)"
        return try await lock.withLock { () -> StoredRun? in
            guard let row = try await self.run("SELECT \(RunSummaryColumns.list), configuration, metrics FROM runs WHERE id = ?",
                                               [.text(key)], operation).first else { return nil }
            let summary = try Self.summary(row)
            let equity = try await self.equityLocked(key, from: nil, to: nil, operation: operation)
            let trades = summary.tradeCount == 0 ? [] : try await self.tradesLocked(key, operation: operation)
            return StoredRun(summary: summary, configuration: try Self.text(row, "configuration"),
                             metrics: try MetricsJSON.decode(try Self.text(row, "metrics"), field: "runs.metrics"),
                             equity: equity, trades: trades)
        }
    }

    public func equity(runID: UUID, from: Int64?, to: Int64?) async throws -> EquityCurve? {
        let key = runID.uuidString
        let operation = "load equity of run \(key)"
        return try await lock.withLock { () -> EquityCurve? in
            guard try await !self.run("SELECT 1 FROM runs WHERE id = ?", [.text(key)], operation).isEmpty else { return nil }
            return try await self.equityLocked(key, from: from, to: to, operation: operation)
        }
    }

    /// The curve of a run in `[from, to]`, from its chunks, or from `equity_points` for a run
    /// saved before schema v6. Call holding the lock.
    func equityLocked(_ key: String, from: Int64?, to: Int64?, operation: String) async throws -> EquityCurve {
        let lower = Int(from ?? .min), upper = Int(to ?? .max)
        let chunks = try await run("SELECT count, data FROM equity_chunks WHERE run_id = ? AND last_ts >= ? AND first_ts <= ? ORDER BY chunk",
                                   [.text(key), .integer(lower), .integer(upper)], operation)
        var timestamps: [Int64] = [], values: [Double] = []
        if !chunks.isEmpty {
            for r in chunks {
                guard let data = r.column("data")?.blob else { throw StoreError.corrupt(field: "equity_chunks.data", reason: "not a blob") }
                try EquityChunks.decode(data, count: try Self.int(r, "count"), into: &timestamps, &values)
            }
            return EquityChunks.slice(EquityCurve(timestamps: timestamps, values: values), from: from, to: to)
        }
        let rows = try await run("SELECT ts, equity FROM equity_points WHERE run_id = ? AND ts >= ? AND ts <= ? ORDER BY idx",
                                 [.text(key), .integer(lower), .integer(upper)], operation)
        timestamps.reserveCapacity(rows.count); values.reserveCapacity(rows.count)
        for r in rows {
            timestamps.append(Int64(try Self.int(r, "ts")))
            values.append(r.column("equity")?.double ?? .nan)   // NaN was stored as NULL
        }
        return EquityCurve(timestamps: timestamps, values: values)
    }

    /// The trades of a run, from its chunks, or from `trades` for a run saved before schema v8.
    /// Call holding the lock.
    func tradesLocked(_ key: String, operation: String) async throws -> [StoredTrade] {
        var trades: [StoredTrade] = []
        let chunks = try await run("SELECT count, data FROM trade_chunks WHERE run_id = ? ORDER BY chunk", [.text(key)], operation)
        for r in chunks {
            guard let data = r.column("data")?.blob else { throw StoreError.corrupt(field: "trade_chunks.data", reason: "not a blob") }
            try TradeChunks.decode(data, count: try Self.int(r, "count"), into: &trades)
        }
        if !chunks.isEmpty { return trades }
        return try await run("SELECT * FROM trades WHERE run_id = ? ORDER BY idx", [.text(key)], operation).map { r in
            StoredTrade(size: try Self.double(r, "size"), entryTime: Int64(try Self.int(r, "entry_time")),
                        exitTime: Int64(try Self.int(r, "exit_time")), entryPrice: try Self.double(r, "entry_price"),
                        exitPrice: try Self.double(r, "exit_price"), commission: try Self.double(r, "commission"),
                        pnl: try Self.double(r, "pnl"), returnPct: try Self.double(r, "return_pct"),
                        exitReason: try Self.text(r, "exit_reason"))
        }
    }

    @discardableResult
    public func deleteRun(id: UUID) async throws -> Bool {
        try await transaction("delete run \(id)") {
            // Foreign keys cascade to the curve and the trades.
            !(try await self.run("DELETE FROM runs WHERE id = ? RETURNING id", [.text(id.uuidString)], "delete run \(id)").isEmpty)
        }
    }

    // MARK: - Row decoding

    static func summary(_ r: SQLiteRow) throws -> StoredRunSummary {
        let idText = try text(r, "id")
        guard let id = UUID(uuidString: idText) else { throw StoreError.corrupt(field: "runs.id", reason: "not a UUID") }
        return StoredRunSummary(id: id, createdAt: Int64(try int(r, "created_at")), strategy: try text(r, "strategy"),
                          symbol: try text(r, "symbol"), timeframe: try text(r, "timeframe"), barCount: try int(r, "bar_count"),
                          tradeCount: try int(r, "trade_count"), returnPct: r.column("return_pct")?.double,
                          sharpeRatio: r.column("sharpe_ratio")?.double, maxDrawdownPct: r.column("max_drawdown_pct")?.double)
    }

    static func real(_ value: Double?) -> SQLiteData { value.map { $0.isFinite ? .float($0) : .null } ?? .null }

    static func text(_ r: SQLiteRow, _ column: String) throws -> String {
        guard let v = r.column(column)?.string else { throw StoreError.corrupt(field: column, reason: "missing or not text") }
        return v
    }

    static func int(_ r: SQLiteRow, _ column: String) throws -> Int {
        guard let data = r.column(column), case .integer(let v) = data else { throw StoreError.corrupt(field: column, reason: "missing or not an integer") }
        return v
    }

    static func double(_ r: SQLiteRow, _ column: String) throws -> Double {
        guard let v = r.column(column)?.double else { throw StoreError.corrupt(field: column, reason: "missing or not a number") }
        return v
    }
}
