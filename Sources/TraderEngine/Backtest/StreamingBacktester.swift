public import TraderCore
public import TraderStrategies

/// The outcome of a streaming backtest: the full statistics, without the per-bar equity curve or
/// the trade list (which are what would not fit in memory).
public struct StreamingBacktestResult: Sendable {
    public let symbol: String
    public let strategy: String
    public let settings: ExecutionSettings
    public let timeframe: Timeframe
    /// Bars processed, and the chunks they came in.
    public let barCount: Int
    public let chunkCount: Int
    public let metrics: PerformanceMetrics
    /// Positions still open after the last bar, marked at its close (not in the statistics).
    public let openTrades: [Trade]
    public let fills: Int
    public let rejectedOrders: Int
    public let ranOutOfMoney: Bool
    /// The sizer that sized the entries; nil when they used `settings.positionFraction`.
    public let sizing: SizingSummary?
    /// Signal entries the sizer declined (it gave a fraction ≤ 0).
    public let skippedEntries: Int
}

extension Backtester {
    /// Runs `strategy` over bars that arrive in chunks — a file larger than memory read a window
    /// at a time — in memory bounded by the chunk size, whatever the length of the run.
    ///
    /// The kernel and the bar loop are the ones of `run` (chunks only shift the bar numbers), and
    /// the statistics are folded in chunk by chunk from the same parts (see `ChunkedRun`), so the
    /// result equals `run` on the concatenated series up to the order of floating-point additions.
    /// Closed trades are drained from the portfolio after every chunk.
    ///
    /// - Parameters:
    ///   - nextChunk: returns the next chunk, or nil at the end; chunks must follow each other in
    ///     time. Empty chunks are skipped.
    ///   - sizer: sizes the entries, as in `run` (its trade statistics survive the per-chunk
    ///     draining of closed trades).
    ///   - progress: called after each chunk with the bars done so far.
    public static func runStreaming<S: Strategy>(
        _ strategy: S, name: String, chunks nextChunk: () throws -> BarSeries?, settings: ExecutionSettings,
        sizer: (any PositionSizer)? = nil, progress: ((Int) -> Void)? = nil
    ) throws -> StreamingBacktestResult {
        func next() throws -> BarSeries? {
            while let chunk = try nextChunk() { if !chunk.isEmpty { return chunk } }
            return nil
        }
        guard var chunk = try next() else { throw DomainError.invalid(field: "data", reason: "no bars to backtest") }
        var upcoming = try next()
        var kernel = try TradingKernel(strategy: strategy, settings: settings, sizer: sizer, events: NoEventSink())
        let firstTradingBar = max(0, strategy.warmupBars - 1)
        var stream = ChunkedRun()
        var chunks = 0
        while true {
            try stream.add(chunk, bars: 0..<chunk.count, firstIndex: stream.bars, isLast: upcoming == nil, kernel: &kernel,
                           settings: settings, firstTradingBar: firstTradingBar)
            chunks += 1
            progress?(stream.bars)
            guard let following = upcoming else { break }
            chunk = following
            upcoming = try next()
        }
        let metrics = stream.finish()
        let portfolio = kernel.broker.portfolio
        return StreamingBacktestResult(
            symbol: chunk.symbol, strategy: name, settings: settings, timeframe: chunk.timeframe, barCount: stream.bars,
            chunkCount: chunks, metrics: metrics,
            openTrades: portfolio.markedOpenTrades(at: stream.lastClose, bar: stream.bars - 1, time: Timestamp(nanos: stream.lastTime)),
            fills: kernel.broker.fillCount, rejectedOrders: kernel.broker.rejectedOrders, ranOutOfMoney: stream.outOfMoney,
            sizing: sizer?.summary, skippedEntries: kernel.skippedEntries)
    }

    /// Runs the strategy described by `spec` in streaming mode, specialized for its type.
    public static func runStreaming(
        _ spec: StrategySpec, chunks nextChunk: () throws -> BarSeries?, settings: ExecutionSettings,
        sizer: (any PositionSizer)? = nil, progress: ((Int) -> Void)? = nil
    ) throws -> StreamingBacktestResult {
        try withoutActuallyEscaping(nextChunk) { nextChunk in
            try withoutActuallyEscaping(progress ?? { _ in }) { progress in
                try spec.accept(StreamingVisitor(name: spec.description, nextChunk: nextChunk, settings: settings, sizer: sizer,
                                                 progress: progress))
            }
        }
    }

    struct StreamingVisitor: StrategyVisitor {
        let name: String
        let nextChunk: () throws -> BarSeries?
        let settings: ExecutionSettings
        let sizer: (any PositionSizer)?
        let progress: (Int) -> Void
        func visit<S: Strategy>(_ strategy: S) throws -> StreamingBacktestResult {
            try Backtester.runStreaming(strategy, name: name, chunks: nextChunk, settings: settings, sizer: sizer, progress: progress)
        }
    }
}
