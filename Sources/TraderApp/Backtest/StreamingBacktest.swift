import TraderCore
public import TraderEngine
import TraderData

extension BacktestService {
    /// Bars per chunk of a streaming backtest: 64K bars, 3 MB of columns in memory at a time.
    public static let streamChunk = 1 << 16

    /// Runs `request` in streaming mode: bars are read a chunk at a time from the bar store (a
    /// symbol stored there) or from the synthetic generator, so a run over a file larger than
    /// memory needs memory for one chunk. The report has every statistic but no trade list.
    ///
    /// CSV files are not streamed (import them into the store first); that is a usage error
    /// naming the command to run.
    public func runStreaming(
        _ request: BacktestRequest, chunkSize: Int = BacktestService.streamChunk, progress: ((Int, Int) -> Void)? = nil
    ) throws(AppError) -> StreamingBacktestResult {
        let (start, end) = (request.start, request.end)
        let sizer = try request.makeSizer()
        if let start, let end, end < start { throw .usage("--end (\(end)) is before --start (\(start))") }
        let nextChunk: () throws -> BarSeries?
        let total: Int
        switch request.source {
        case let .symbol(symbol):
            let stored: BarStoreFile?
            do { stored = try data.store.open(symbol: symbol) } catch { throw .usage(error.description) }
            guard let file = stored else {
                throw .usage("--stream reads the bar store, and '\(symbol)' is not in it (\(data.storeDirectory)); "
                    + "import it with `gpt-trader data import FILE.csv --symbol \(symbol)` or generate bars with `gpt-trader data generate`")
            }
            let chunks = file.chunks(size: chunkSize, from: start, through: end)
            total = chunks.range.count
            nextChunk = { () throws -> BarSeries? in try chunks.nextChunk() }
        case let .synthetic(symbol, bars, seed, timeframe):
            var generator: SyntheticBarGenerator
            do {
                generator = try SyntheticBarGenerator(symbol: symbol, seed: seed, timeframe: timeframe)
                try generator.validate(bars: bars)
            } catch { throw .usage(error.description) }
            total = bars
            nextChunk = { () throws -> BarSeries? in
                guard generator.generated < bars else { return nil }
                let chunk = try generator.next(min(chunkSize, bars - generator.generated))
                return (start == nil && end == nil) ? chunk : chunk.slice(from: start, through: end)
            }
        case let .file(path, _):
            throw .usage("--stream reads the bar store or --synthetic bars, not CSV files; import \(path) first with "
                + "`gpt-trader data import \(path) --symbol NAME`, then `backtest --symbol NAME --stream`")
        }
        try request.checkFits(barCount: total)
        do {
            return try Backtester.runStreaming(request.strategy, chunks: nextChunk, settings: request.settings, sizer: sizer,
                                               progress: { progress?($0, total) })
        } catch let e as DataError {
            throw .usage(e.description)
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch let e as AppError {
            throw e
        } catch {
            throw .runtime("backtest failed: \(error)")
        }
    }
}
