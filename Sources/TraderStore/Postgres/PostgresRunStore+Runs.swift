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
                """, logger: logger)
            guard !inserted.isEmpty else { return false }   // stored before: a retried write
            try await Self.copyEquity(connection, runID: id, equity: run.equity, logger: logger)
            try await Self.insertRows(connection, table: "trades", columns: TradeColumns.names, rowCount: run.trades.count,
                                      logger: logger) { i, b in
                let t = run.trades[i]
                b.append(id); b.append(i); b.append(t.size); b.append(t.entryTime); b.append(t.exitTime); b.append(t.entryPrice)
                b.append(t.exitPrice); b.append(t.commission); b.append(t.pnl); b.append(t.returnPct); b.append(t.exitReason)
            }
            return true
        }
    }

    /// The equity curve through `COPY ... FROM STDIN` in text format, sent in ~256 KiB writes:
    /// one statement for the whole curve, no parameter limit, no per-row round trip.
    static func copyEquity(_ connection: PostgresConnection, runID: String, equity: EquityCurve, logger: Logger) async throws {
        guard equity.count > 0 else { return }
        try await connection.copyFrom(table: "equity_points", columns: ["run_id", "idx", "ts", "equity"], logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(300_000)
            let prefix = runID + "\t"
            for i in 0..<equity.count {
                buffer.writeString(prefix)
                buffer.writeString(String(i))
                buffer.writeInteger(UInt8(ascii: "\t"))
                buffer.writeString(String(equity.timestamps[i]))
                buffer.writeInteger(UInt8(ascii: "\t"))
                let v = equity.values[i]
                buffer.writeString(v.isNaN ? "NaN" : v == .infinity ? "Infinity" : v == -.infinity ? "-Infinity" : "\(v)")
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= 262_144 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
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
        return try await withRetry(operation) { try await Self.rows($0, query, logger: logger) }
    }

    public func loadRun(id: UUID) async throws -> StoredRun? {
        let key = id.uuidString
        return try await withRetry("load run \(key)") { connection -> StoredRun? in
            // One snapshot for the run, its curve and its trades.
            try await Self.readOnly(connection, logger: logger) { () -> StoredRun? in
                guard let row = try await Self.rows(connection, "SELECT \(unescaped: RunSummaryColumns.list), configuration, metrics FROM runs WHERE id = \(key)",
                                                    logger: logger).first else { return nil }
                var timestamps: [Int64] = [], values: [Double] = []
                for try await (ts, value) in try await connection.query(
                    "SELECT ts, equity FROM equity_points WHERE run_id = \(key) ORDER BY idx", logger: logger).decode((Int64, Double?).self) {
                    timestamps.append(ts)
                    values.append(value ?? .nan)
                }
                let trades = try await Self.rows(connection, "SELECT * FROM trades WHERE run_id = \(key) ORDER BY idx", logger: logger).map { r in
                    StoredTrade(size: try Self.double(r, "size"), entryTime: try Self.int(r, "entry_time"), exitTime: try Self.int(r, "exit_time"),
                                entryPrice: try Self.double(r, "entry_price"), exitPrice: try Self.double(r, "exit_price"),
                                commission: try Self.double(r, "commission"), pnl: try Self.double(r, "pnl"),
                                returnPct: try Self.double(r, "return_pct"), exitReason: try Self.text(r, "exit_reason"))
                }
                return StoredRun(summary: try Self.summary(row), configuration: try Self.text(row, "configuration"),
                                 metrics: try MetricsJSON.decode(try Self.text(row, "metrics"), field: "runs.metrics"),
                                 equity: EquityCurve(timestamps: timestamps, values: values), trades: trades)
            }
        }
    }

    @discardableResult
    public func deleteRun(id: UUID) async throws -> Bool {
        let key = id.uuidString
        return try await transaction("delete run \(key)") { connection in
            !(try await Self.rows(connection, "DELETE FROM runs WHERE id = \(key) RETURNING id", logger: logger).isEmpty)
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
