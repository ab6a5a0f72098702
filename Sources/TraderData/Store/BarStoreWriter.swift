public import TraderCore

/// Writes a whole `BarSeries` as a bar store file, atomically: a temporary file beside `path`,
/// flushed to disk, then renamed over it. A failure leaves neither a partial file nor the
/// temporary one.
///
/// This is the streaming writer with one chunk: one code path writes every store file, so the
/// layout, the checksums and the atomic replace cannot drift apart.
public enum BarStoreWriter {
    /// Writes `series` to `path` (replacing any existing file) and returns the header written.
    /// `symbol` and `timeframe` default to the series' own.
    @discardableResult
    public static func write(_ series: BarSeries, to path: String, symbol: String? = nil, timeframe: Timeframe? = nil) throws(DataError) -> BarStoreHeader {
        guard !series.isEmpty else { throw .unwritable(path, reason: "no bars to store") }
        let writer = try BarStoreStreamWriter(path: path, symbol: symbol ?? series.symbol,
                                              timeframe: timeframe ?? series.timeframe, count: series.count)
        try writer.append(series)
        return try writer.finish()
    }
}
