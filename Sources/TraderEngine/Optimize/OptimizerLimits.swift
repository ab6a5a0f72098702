public import TraderCore

/// The valid range of every optimizer setting, checked by the CLI, the configuration
/// (`optimize.*`), the `optimize.grid` workflow action and the API alike.
///
/// Each bound keeps one resource finite: sets and samples bound the work, workers bound the
/// tasks (and their chunk of equity each), `top` bounds what is kept per worker.
public enum OptimizerLimits {
    /// Most sets a grid search may run.
    public static let maxGridSets = 10_000_000
    /// `--samples`: sets a random search draws.
    public static let samples = Bounds.integers(1, 10_000_000, unit: "sets")
    /// `--jobs`: parallel workers.
    public static let jobs = Bounds.integers(1, 1_024, unit: "workers")
    /// `--top`: best sets kept and printed.
    public static let top = Bounds.integers(1, 100_000, unit: "sets")
    /// `--min-trades`: trades a run needs to be ranked.
    public static let minimumTrades = Bounds.integers(0, 1_000_000, unit: "trades")
    /// `--train`, `--test`, `--step`: walk-forward windows, in calendar days (up to a century).
    public static let walkForwardDays = Bounds.integers(1, 36_500, unit: "days")
}
