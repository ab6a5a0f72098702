/// One step of the schema: a version, a name, and the statements that make it, one per string
/// (SQLite prepares one statement at a time). Applied in version order, each in its own
/// transaction together with its row in `schema_migrations`, so a step is applied whole or not
/// at all.
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}

/// What `status()` reports: the applied versions (with when) and the pending ones.
public struct MigrationStatus: Sendable, Equatable {
    public struct Applied: Sendable, Equatable {
        public let version: Int
        public let name: String
        /// Nanoseconds since 1970.
        public let appliedAt: Int64
    }

    public let backend: String
    public let applied: [Applied]
    public let pending: [Migration]

    /// The highest applied version, 0 for an empty database.
    public var currentVersion: Int { applied.map(\.version).max() ?? 0 }

    /// The newest schema version this program knows (the same on both backends).
    public static var latestVersion: Int { Migrations.sqlite.map(\.version).max() ?? 0 }

    /// The status of a database that does not exist yet: every migration pending.
    public static func empty(backend: String) -> MigrationStatus {
        MigrationStatus(backend: backend, applied: [], pending: Migrations.sqlite)
    }
}

/// The migrations of both backends, the same logical schema written in each dialect.
///
/// Logical schema (v10):
/// - `runs(id, created_at, strategy, symbol, timeframe, configuration, metrics, bar_count,
///   trade_count, return_pct, sharpe_ratio, max_drawdown_pct)`, indexed by `created_at`,
///   `(strategy, created_at)` and `(symbol, created_at)` for `runs list`;
/// - `equity_points(run_id, idx, ts, equity)` and `trades(run_id, idx, ...)`, keyed by
///   `(run_id, idx)`, deleted with their run;
/// - `optimizations(...)` and `optimization_results(optimization_id, rank, parameters, score,
///   metrics)`;
/// - `events(seq, id, created_at, kind, payload)`, `seq` assigned by the database;
/// - v4: `orders`, `order_states` (every state an order passed through), `fills`, `positions`
///   (the whole book per bot), `checkpoints` (the bot's own state, newest by `seq`);
/// - v5: `bars(symbol, timeframe, ts, open, high, low, close, volume)`, the archive;
/// - v6: `equity_chunks(run_id, chunk, first_ts, last_ts, count, data)`: curves saved from v6 on
///   (`EquityChunks`); `equity_points` keeps those saved before;
/// - v7: `workflow_runs`;
/// - v8: `trade_chunks(run_id, chunk, count, data)`: trades saved from v8 on, packed
///   (`TradeChunks`), and equity chunks packed too (their format byte 2); runs saved before keep
///   their `trades` rows and format-1 chunks, read as they were;
/// - v9: `bots`;
/// - v10: `journal_chunks(bot_id, session, first, ...)`: paper sessions' order events, packed
///   (`JournalChunks`); their open orders keep rows in `orders`.
enum Migrations {
    /// Column types that differ: SQLite's `INTEGER`/`REAL` against PostgreSQL's `BIGINT`/
    /// `DOUBLE PRECISION`, and the auto-assigned sequence of the event log.
    struct Dialect {
        let integer: String
        let real: String
        let sequence: String
        let blob: String
    }

    static let sqliteDialect = Dialect(integer: "INTEGER", real: "REAL", sequence: "INTEGER PRIMARY KEY AUTOINCREMENT", blob: "BLOB")
    static let postgresDialect = Dialect(integer: "BIGINT", real: "DOUBLE PRECISION", sequence: "BIGSERIAL PRIMARY KEY", blob: "BYTEA")

    static let sqlite = all(sqliteDialect)
    static let postgres = all(postgresDialect)

    static func all(_ d: Dialect) -> [Migration] {
        [
            Migration(version: 1, name: "runs, equity points and trades", statements: [
                """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY, created_at \(d.integer) NOT NULL, strategy TEXT NOT NULL, symbol TEXT NOT NULL,
                    timeframe TEXT NOT NULL, configuration TEXT NOT NULL, metrics TEXT NOT NULL,
                    bar_count \(d.integer) NOT NULL, trade_count \(d.integer) NOT NULL,
                    return_pct \(d.real), sharpe_ratio \(d.real), max_drawdown_pct \(d.real))
                """,
                "CREATE INDEX runs_created_at ON runs (created_at DESC, id DESC)",
                "CREATE INDEX runs_strategy ON runs (strategy, created_at DESC)",
                "CREATE INDEX runs_symbol ON runs (symbol, created_at DESC)",
                """
                CREATE TABLE equity_points (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, idx \(d.integer) NOT NULL,
                    ts \(d.integer) NOT NULL, equity \(d.real), PRIMARY KEY (run_id, idx))
                """,
                """
                CREATE TABLE trades (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, idx \(d.integer) NOT NULL,
                    size \(d.real) NOT NULL, entry_time \(d.integer) NOT NULL, exit_time \(d.integer) NOT NULL,
                    entry_price \(d.real) NOT NULL, exit_price \(d.real) NOT NULL, commission \(d.real) NOT NULL,
                    pnl \(d.real) NOT NULL, return_pct \(d.real) NOT NULL,
                    exit_reason TEXT NOT NULL CHECK (length(exit_reason) BETWEEN 1 AND 32),
                    PRIMARY KEY (run_id, idx))
                """,
            ]),
            Migration(version: 2, name: "optimizations and ranked results", statements: [
                """
                CREATE TABLE optimizations (
                    id TEXT PRIMARY KEY, created_at \(d.integer) NOT NULL, strategy TEXT NOT NULL, symbol TEXT NOT NULL,
                    objective TEXT NOT NULL, configuration TEXT NOT NULL, result_count \(d.integer) NOT NULL)
                """,
                "CREATE INDEX optimizations_created_at ON optimizations (created_at DESC)",
                """
                CREATE TABLE optimization_results (
                    optimization_id TEXT NOT NULL REFERENCES optimizations (id) ON DELETE CASCADE,
                    rank \(d.integer) NOT NULL, parameters TEXT NOT NULL, score \(d.real), metrics TEXT NOT NULL,
                    PRIMARY KEY (optimization_id, rank))
                """,
            ]),
            Migration(version: 3, name: "append-only event log", statements: [
                """
                CREATE TABLE events (
                    seq \(d.sequence), id TEXT NOT NULL UNIQUE, created_at \(d.integer) NOT NULL,
                    kind TEXT NOT NULL, payload TEXT NOT NULL)
                """,
                "CREATE INDEX events_kind ON events (kind, seq)",
            ]),
            Migration(version: 4, name: "orders, order states, fills, positions and checkpoints", statements: [
                """
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY, bot_id TEXT NOT NULL, symbol TEXT NOT NULL,
                    side TEXT NOT NULL CHECK (side IN ('buy', 'sell')), order_type TEXT NOT NULL, quantity \(d.real) NOT NULL,
                    limit_price \(d.real), stop_price \(d.real), status TEXT NOT NULL, filled_quantity \(d.real) NOT NULL,
                    average_fill_price \(d.real), broker_order_id TEXT, created_at \(d.integer) NOT NULL, updated_at \(d.integer) NOT NULL)
                """,
                "CREATE INDEX orders_bot ON orders (bot_id, created_at DESC)",
                "CREATE INDEX orders_bot_status ON orders (bot_id, status)",
                """
                CREATE TABLE order_states (
                    order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE, at \(d.integer) NOT NULL, status TEXT NOT NULL,
                    filled_quantity \(d.real) NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (order_id, at, status))
                """,
                """
                CREATE TABLE fills (
                    id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE, bot_id TEXT NOT NULL,
                    symbol TEXT NOT NULL, at \(d.integer) NOT NULL, quantity \(d.real) NOT NULL, price \(d.real) NOT NULL,
                    commission \(d.real) NOT NULL)
                """,
                "CREATE INDEX fills_order ON fills (order_id, at)",
                "CREATE INDEX fills_bot ON fills (bot_id, at)",
                """
                CREATE TABLE positions (
                    bot_id TEXT NOT NULL, symbol TEXT NOT NULL, quantity \(d.real) NOT NULL, average_price \(d.real) NOT NULL,
                    realized_pnl \(d.real) NOT NULL, updated_at \(d.integer) NOT NULL, PRIMARY KEY (bot_id, symbol))
                """,
                """
                CREATE TABLE checkpoints (
                    seq \(d.sequence), id TEXT NOT NULL UNIQUE, bot_id TEXT NOT NULL, created_at \(d.integer) NOT NULL, state TEXT NOT NULL)
                """,
                "CREATE INDEX checkpoints_bot ON checkpoints (bot_id, seq DESC)",
            ]),
            Migration(version: 5, name: "archived market data bars", statements: [
                """
                CREATE TABLE bars (
                    symbol TEXT NOT NULL, timeframe TEXT NOT NULL, ts \(d.integer) NOT NULL, open \(d.real) NOT NULL,
                    high \(d.real) NOT NULL, low \(d.real) NOT NULL, close \(d.real) NOT NULL, volume \(d.real) NOT NULL,
                    PRIMARY KEY (symbol, timeframe, ts))
                """,
            ]),
            Migration(version: 6, name: "equity curves in chunks", statements: [
                """
                CREATE TABLE equity_chunks (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, chunk \(d.integer) NOT NULL,
                    first_ts \(d.integer) NOT NULL, last_ts \(d.integer) NOT NULL, count \(d.integer) NOT NULL, data \(d.blob) NOT NULL,
                    PRIMARY KEY (run_id, chunk))
                """,
            ]),
            Migration(version: 7, name: "workflow runs", statements: [
                """
                CREATE TABLE workflow_runs (
                    id TEXT PRIMARY KEY, workflow TEXT NOT NULL, status TEXT NOT NULL, started_at \(d.integer) NOT NULL,
                    updated_at \(d.integer) NOT NULL, finished_at \(d.integer), runner TEXT NOT NULL,
                    cancel_requested \(d.integer) NOT NULL DEFAULT 0, parameters TEXT NOT NULL, steps TEXT NOT NULL)
                """,
                "CREATE INDEX workflow_runs_started ON workflow_runs (started_at DESC)",
            ]),
            Migration(version: 8, name: "packed trades and equity curves", statements: [
                """
                CREATE TABLE trade_chunks (
                    run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE, chunk \(d.integer) NOT NULL,
                    count \(d.integer) NOT NULL, data \(d.blob) NOT NULL, PRIMARY KEY (run_id, chunk))
                """,
            ]),
            Migration(version: 9, name: "bots: the paper and live sessions of this store", statements: [
                """
                CREATE TABLE bots (
                    id TEXT PRIMARY KEY, mode TEXT NOT NULL, status TEXT NOT NULL, pid \(d.integer), host TEXT NOT NULL,
                    arguments TEXT NOT NULL, started_at \(d.integer) NOT NULL, updated_at \(d.integer) NOT NULL,
                    stop_request TEXT, bars \(d.integer) NOT NULL, equity \(d.real), detail TEXT NOT NULL)
                """,
            ]),
            Migration(version: 10, name: "packed order journals of paper sessions", statements: [
                """
                CREATE TABLE journal_chunks (
                    bot_id TEXT NOT NULL, session \(d.integer) NOT NULL, first \(d.integer) NOT NULL, count \(d.integer) NOT NULL,
                    first_fill \(d.integer) NOT NULL, fills \(d.integer) NOT NULL, record_key \(d.integer) NOT NULL,
                    low_order \(d.integer) NOT NULL, high_order \(d.integer) NOT NULL, first_at \(d.integer) NOT NULL,
                    last_at \(d.integer) NOT NULL, symbol TEXT NOT NULL, data \(d.blob) NOT NULL, PRIMARY KEY (bot_id, session, first))
                """,
                "CREATE INDEX journal_chunks_record_key ON journal_chunks (record_key, low_order)",
            ]),
        ]
    }

    /// The statement that creates the bookkeeping table; run before anything else.
    static func createTable(_ d: Dialect) -> String {
        "CREATE TABLE IF NOT EXISTS schema_migrations (version \(d.integer) PRIMARY KEY, name TEXT NOT NULL, applied_at \(d.integer) NOT NULL)"
    }
}
