import Foundation
import NIOCore
import PostgresNIO
import SQLiteNIO
@testable import TraderStore

/// Runs written the way schema v6 and v7 wrote them — equity chunks of format 1 (timestamps and
/// values as raw little-endian words), one `trades` row per trade — straight into the tables, so
/// tests can check that this program still reads them on both backends.
enum LegacyRuns {
    /// A value bound to a statement on either backend.
    enum Value {
        case text(String), integer(Int64), real(Double), blob([UInt8])
    }

    /// Runs `sql` (with `?` placeholders) on the store's own connection.
    static func execute(_ store: any Store, _ sql: String, _ values: [Value] = []) async throws {
        if let sqlite = store as? SQLiteRunStore {
            let binds: [SQLiteData] = values.map {
                switch $0 {
                case .text(let t): .text(t)
                case .integer(let i): .integer(Int(i))
                case .real(let r): .float(r)
                case .blob(let b): .blob(ByteBuffer(bytes: b))
                }
            }
            try await sqlite.run(sql, binds, "legacy test data")
        } else if let postgres = store as? PostgresRunStore {
            var numbered = "", n = 0
            for c in sql {
                if c == "?" { n += 1; numbered += "$\(n)" } else { numbered.append(c) }
            }
            var binds = PostgresBindings(capacity: values.count)
            for value in values {
                switch value {
                case .text(let t): binds.append(t)
                case .integer(let i): binds.append(i)
                case .real(let r): binds.append(r)
                case .blob(let b): binds.append(ByteBuffer(bytes: b))
                }
            }
            let query = PostgresQuery(unsafeSQL: numbered, binds: binds)
            try await postgres.withRetry("legacy test data") { try await PostgresRunStore.rows($0, query, logger: postgres.logger) }
        } else {
            fatalError("unknown store \(type(of: store))")
        }
    }

    /// Stores `run` as schema v7 did: the run row, its curve in format-1 chunks of 8,192 points,
    /// its trades one row each.
    static func saveAsV7(_ run: NewRun, into store: any Store) async throws {
        var bare = run
        bare.equity = .empty
        bare.trades = []
        try await store.saveRun(bare)
        let id = run.id.uuidString
        try await execute(store, "UPDATE runs SET bar_count = ?, trade_count = ? WHERE id = ?",
                          [.integer(Int64(run.equity.count)), .integer(Int64(run.trades.count)), .text(id)])
        var start = 0, chunk: Int64 = 0
        while start < run.equity.count {
            let end = min(start + 8_192, run.equity.count)
            var data: [UInt8] = [1]
            for i in start..<end { withUnsafeBytes(of: run.equity.timestamps[i].littleEndian) { data += $0 } }
            for i in start..<end { withUnsafeBytes(of: run.equity.values[i].bitPattern.littleEndian) { data += $0 } }
            try await execute(store, "INSERT INTO equity_chunks (run_id, chunk, first_ts, last_ts, count, data) VALUES (?, ?, ?, ?, ?, ?)",
                              [.text(id), .integer(chunk), .integer(run.equity.timestamps[start]), .integer(run.equity.timestamps[end - 1]),
                               .integer(Int64(end - start)), .blob(data)])
            chunk += 1
            start = end
        }
        for (i, t) in run.trades.enumerated() {
            try await execute(store, """
                INSERT INTO trades (run_id, idx, size, entry_time, exit_time, entry_price, exit_price, commission, pnl, return_pct, exit_reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(id), .integer(Int64(i)), .real(t.size), .integer(t.entryTime), .integer(t.exitTime), .real(t.entryPrice),
                      .real(t.exitPrice), .real(t.commission), .real(t.pnl), .real(t.returnPct), .text(t.exitReason)])
        }
    }
}

extension Backend {
    /// Installs a trigger that makes the database refuse the packed trades of runs of `symbol`:
    /// a failure after the run row and its curve were written, inside the save's transaction.
    func refuseTrades(ofSymbol symbol: String, in store: any Store) async throws {
        switch self {
        case .sqlite:
            try await LegacyRuns.execute(store, """
                CREATE TRIGGER refuse_trades BEFORE INSERT ON trade_chunks
                WHEN (SELECT symbol FROM runs WHERE id = NEW.run_id) = '\(symbol)'
                BEGIN SELECT RAISE(ABORT, 'refused by the test'); END
                """)
        case .postgres:
            try await LegacyRuns.execute(store, """
                CREATE FUNCTION refuse_trades() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF (SELECT symbol FROM runs WHERE id = NEW.run_id) = '\(symbol)' THEN RAISE EXCEPTION 'refused by the test'; END IF;
                    RETURN NEW;
                END $$
                """)
            try await LegacyRuns.execute(store, "CREATE TRIGGER refuse_trades BEFORE INSERT ON trade_chunks FOR EACH ROW EXECUTE FUNCTION refuse_trades()")
        }
    }
}
