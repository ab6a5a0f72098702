import TraderCore
import TraderEngine

/// Every setting the configuration file may hold, by section (bot_v2's sections). A setting with
/// an alias feeds the variable the program already reads; the others are read by the commands
/// and actions named in their help.
public enum ConfigSchema {
    public static let sections = ["system", "data", "backtest", "paper_trade", "optimize", "monitor", "risk", "database", "cache", "server"]

    public static let keys: [ConfigKey] = [
        ConfigKey("system", "log_level", .choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), .string("warning"),
                  "Log level (--log-level).", alias: "GPT_TRADER_LOG_LEVEL"),
        ConfigKey("system", "log_format", .choice(["human", "json"]), .string("human"), "Log lines: human or json (--log-format).",
                  alias: "GPT_TRADER_LOG_FORMAT"),
        ConfigKey("system", "log_file", .text, .string(""), "Also write logs to this file (--log-file).", alias: "GPT_TRADER_LOG_FILE"),

        ConfigKey("data", "directory", .text, .string(""), "Extra folders of CSV files, colon-separated (searched before ./data).",
                  alias: "GPT_TRADER_DATA_DIR"),
        ConfigKey("data", "store_dir", .text, .string(""), "The binary bar store (default: ./data/store).", alias: "GPT_TRADER_STORE_DIR"),
        ConfigKey("data", "symbol", .text, .string("GOOG"), "The symbol commands use without --symbol."),

        ConfigKey("backtest", "strategy", .text, .string("sma-crossover"), "The strategy without --strategy."),
        ConfigKey("backtest", "capital", .number(ExecutionSettings.Limits.capital), .number(10_000), "Starting capital (--capital)."),
        ConfigKey("backtest", "commission", .number(ExecutionSettings.Limits.commissionRate), .number(0.001), "Commission as a fraction of traded value (--commission)."),
        ConfigKey("backtest", "slippage_bps", .number(ExecutionSettings.Limits.slippageBps), .number(0), "Slippage per fill in basis points (--slippage)."),
        ConfigKey("backtest", "fill", .choice(["next-open", "close"]), .string("next-open"), "When orders fill (--fill)."),

        ConfigKey("paper_trade", "capital", .number(ExecutionSettings.Limits.capital), .number(100_000), "Paper account capital (for the paper-trading runtime)."),
        ConfigKey("paper_trade", "symbols", .text, .string("GOOG"), "Symbols the paper bot trades, comma-separated."),
        ConfigKey("paper_trade", "broker", .choice(["simulated", "alpaca", "coinbase"]), .string("simulated"), "Where paper orders go."),
        ConfigKey("paper_trade", "api_key", .text, .string(""), "Broker API key (never printed).", secrecy: .secret),
        ConfigKey("paper_trade", "api_secret", .text, .string(""), "Broker API secret (never printed).", secrecy: .secret),

        ConfigKey("optimize", "method", .choice(["grid", "random", "walk-forward"]), .string("grid"), "Search method (--method)."),
        ConfigKey("optimize", "metric", .text, .string("sharpe"), "Metric to rank by (--metric)."),
        ConfigKey("optimize", "jobs", .integer(OptimizerLimits.jobs, zeroMeans: "all cores"), .integer(0), "Parallel workers; 0 = all cores (--jobs)."),
        ConfigKey("optimize", "samples", .integer(OptimizerLimits.samples), .integer(100), "Random search: sets to draw (--samples)."),
        ConfigKey("optimize", "seed", .integer(.integers(0, Int.max)), .integer(42), "Random search seed (--seed)."),

        ConfigKey("monitor", "max_drawdown_pct", .number(.closed(0, 100, unit: "%")), .number(25), "monitor.runs: alert when a run fell further (%)."),
        ConfigKey("monitor", "max_data_age_days", .number(.closed(0, 36_500, unit: "days")), .number(5), "data.check / monitor.data: a feed older than this is stale."),

        ConfigKey("risk", "max_volatility", .number(.closed(0, 100)), .number(0.6), "risk.check: highest annualized volatility to trade in."),
        ConfigKey("risk", "max_drawdown", .number(RiskRules.Limits.lossFraction), .number(0.35), "risk.check: deepest market drawdown to trade in (fraction)."),
        ConfigKey("risk", "stop_loss", .number(ExecutionSettings.Limits.protectiveExit, zeroMeans: "none"), .number(0), "Default stop-loss fraction for backtests; 0 = none (--stop-loss)."),
        ConfigKey("risk", "take_profit", .number(ExecutionSettings.Limits.protectiveExit, zeroMeans: "none"), .number(0), "Default take-profit fraction; 0 = none (--take-profit)."),

        ConfigKey("database", "url", .text, .string(""), "Run database: postgres://user:pass@host/db or sqlite:PATH (default ~/.gpt-trader/runs.sqlite).",
                  secrecy: .urlPassword, alias: "GPT_TRADER_DATABASE_URL"),

        ConfigKey("cache", "enabled", .bool, .bool(true), "Use the result cache.", alias: "GPT_TRADER_CACHE"),
        ConfigKey("cache", "url", .text, .string(""), "Redis for the shared cache tier: redis://host:port/db.", secrecy: .urlPassword,
                  alias: "GPT_TRADER_CACHE_URL"),

        ConfigKey("server", "host", .text, .string("127.0.0.1"), "Address the API server listens on."),
        ConfigKey("server", "port", .integer(.integers(1, 65_535)), .integer(8080), "Port of the API server."),
        ConfigKey("server", "api_key", .text, .string(""), "Key API clients must send (never printed).", secrecy: .secret),
    ]

    static let byPath: [String: ConfigKey] = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })

    public static func key(_ path: String) -> ConfigKey? { byPath[path] }

    public static func keys(in section: String) -> [ConfigKey] { keys.filter { $0.section == section } }
}
