public import TraderCore
public import TraderStrategies

/// The multi-symbol backtest of the adaptive portfolio: several symbols on one clock, one shared
/// cash account, one kernel and strategy instance per symbol, and allocation under the current
/// capital tier's rules. It is the engine's parts composed (`PortfolioSimulation`: kernels over a
/// `MultiSymbolAccount` whose risk check is `CapitalTierRisk`). The rules, in short
/// (docs/portfolio.md has them in full):
///
/// - Timeline: the union of the symbols' timestamps; a symbol without a bar keeps its last price
///   and neither trades nor decides.
/// - Decisions: each symbol's strategy sees its own bars, one at a time. A buy signal while flat
///   becomes an entry at the symbol's next open; a sell signal while long, an exit there. Long
///   only; no pyramiding (a buy while long does nothing). Orders a strategy submits itself are
///   honoured as in a single-symbol backtest.
/// - Fills at an open: exits first, then entries in the order the symbols were given, then
///   stop-losses within the bar's range.
/// - An entry is refused when the tier does not allow the strategy, the day's loss limit was hit
///   earlier that day, the tier's position count or weekly entry count is reached, the
///   pattern-day-trader rule forbids it, or the exposure cap is full. Otherwise it buys as many
///   units as the smallest of the tier's position cap, the room under the exposure cap and the
///   cash allow.
/// - No rebalancing: a position keeps its size until its exit; a tier change applies to new
///   entries only (positions above a smaller tier's count or caps are kept, not cut).
/// - Statistics: `MetricsCalculator.compute` over the combined equity curve, with an equal-weight
///   basket of the symbols as the benchmark.
///
/// A decision at a bar uses bars up to that bar only, and fills at a later open, so truncating
/// the data after a bar leaves everything up to that bar unchanged.
public enum PortfolioBacktester {
    /// Runs `strategy` on every series under `profile`.
    public static func run(_ series: [BarSeries], strategy: StrategySpec, profile: PortfolioProfile,
                           settings: PortfolioSettings) throws(DomainError) -> PortfolioBacktestResult {
        let timeline = try PortfolioTimeline(series)
        do {
            return try strategy.accept(Runner(timeline: timeline, profile: profile, settings: settings, spec: strategy))
        } catch let e as DomainError {
            throw e
        } catch {
            throw .invalid(field: "strategy", reason: "\(error)")
        }
    }

    /// The strategy a run uses when none is chosen: the first one the starting tier allows, with
    /// its default parameters.
    public static func defaultStrategy(profile: PortfolioProfile, capital: Double) throws(StrategyError) -> StrategySpec {
        try StrategySpec(name: profile.rules(for: CapitalTier.tier(for: capital)).strategies[0])
    }

    private struct Runner: StrategyVisitor {
        let timeline: PortfolioTimeline
        let profile: PortfolioProfile
        let settings: PortfolioSettings
        let spec: StrategySpec

        func visit<S: Strategy>(_ strategy: S) throws -> PortfolioBacktestResult {
            var simulation = try PortfolioSimulation(prototype: strategy, strategy: spec, timeline: timeline,
                                                     profile: profile, settings: settings)
            return simulation.run()
        }
    }
}
