public import TraderCore

/// Deterministic synthetic OHLCV data for tests, demos and benchmarks.
///
/// Prices follow a geometric random walk (each close is the open times `1 + r`, with `r` normal)
/// whose drift and volatility switch between `MarketRegime`s by a seeded Markov chain. Each bar
/// opens at the previous close times a small gap, its high and low reach beyond the open and the
/// close, and its volume rises with the regime's turbulence and the size of the move.
///
/// - The same arguments always give the identical series, on every platform (all randomness comes
///   from `SeededRandom`, all arithmetic is plain IEEE).
/// - Each symbol draws from its own stream (the symbol is mixed into the seed), so symbols
///   generated with one seed are different but reproducible.
/// - Daily bars (`.day1`) follow the equity calendar: Monday to Friday, weekends skipped (a
///   weekend start moves to the next Monday). Every other timeframe is continuous.
/// - Every bar satisfies `Bar.violation == nil`. Prices that stray beyond 10^±4 times the start
///   price get a drift back towards it, so even very long series stay finite and positive.
/// - Series of any length can be produced in chunks with `SyntheticBarGenerator`, which this type
///   uses: the chunks concatenate to exactly the series generated here in one call.
public enum SyntheticBars {
    /// Version of the price model: bump it whenever `generate` would produce different bars for the
    /// same arguments, so results cached for synthetic data are not reused across the change.
    public static let modelVersion = 1

    /// Where series start by default: Monday, 3 January 2000.
    public static let defaultStart = Timestamp(year: 2000, month: 1, day: 3)

    /// Bars a series held in memory may have (48 bytes each: 2.4 GB at the top). Streaming runs
    /// and `data generate` take up to `streamedBounds`, a chunk at a time.
    public static let inMemoryBounds = Bounds.integers(1, 50_000_000, unit: "bars")

    /// Bars a streamed run or `data generate` may have: 10 billion bars, a 480 GB file.
    public static let streamedBounds = Bounds.integers(1, 10_000_000_000, unit: "bars")

    /// A series of `bars` bars for `symbol`.
    public static func generate(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> BarSeries {
        try run(symbol: symbol, bars: bars, seed: seed, start: start, timeframe: timeframe,
                startPrice: startPrice, recordRegimes: false).series
    }

    /// One series per symbol, each from its own stream of `seed`.
    public static func generate(
        symbols: [String], bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> [BarSeries] {
        var result: [BarSeries] = []
        result.reserveCapacity(symbols.count)
        for symbol in symbols {
            result.append(try generate(symbol: symbol, bars: bars, seed: seed, start: start,
                                       timeframe: timeframe, startPrice: startPrice))
        }
        return result
    }

    /// The same series as `generate(symbol:...)` together with the regime each bar was drawn in.
    public static func generateWithRegimes(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> (series: BarSeries, regimes: [MarketRegime]) {
        try run(symbol: symbol, bars: bars, seed: seed, start: start, timeframe: timeframe,
                startPrice: startPrice, recordRegimes: true)
    }

    /// Validates like the generator, bar count first, then generates all bars in one chunk.
    private static func run(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp, timeframe: Timeframe,
        startPrice: Double, recordRegimes: Bool
    ) throws(DomainError) -> (series: BarSeries, regimes: [MarketRegime]) {
        guard bars >= 0 else { throw .invalid(field: "bars", reason: "must be >= 0, got \(bars)") }
        var generator = try SyntheticBarGenerator(symbol: symbol, seed: seed, start: start, timeframe: timeframe, startPrice: startPrice)
        return try generator.next(bars, recordRegimes: recordRegimes)
    }
}
