import TraderCore

extension AnalysisService {
    /// The full series of each indicator in `specs` over the bars of `request` (its date range;
    /// `asOf` is not used). With a cache, bars and each series are served from it when this data
    /// version was seen before; without one, everything is computed here.
    public func indicatorSeries(_ specs: [String], for request: AnalysisRequest, cache: AppCache?) async throws(AppError) -> [IndicatorSeries] {
        var normalized: [String] = []
        for spec in specs { normalized.append(try IndicatorSeries.normalized(spec)) }
        guard let cache else {
            let bars = try loadBars(for: request)
            var out: [IndicatorSeries] = []
            for spec in normalized { out.append(try IndicatorSeries.compute(spec, over: bars)) }
            return out
        }
        let version = try data.dataVersion(of: request.source)
        let data = self.data
        // Bars are loaded (once, through the cache) only if some series is not cached.
        let loadBars: @Sendable () async throws(AppError) -> BarSeries = { () async throws(AppError) -> BarSeries in
            try await cache.bars(dataVersion: version, start: request.start, end: request.end) { () throws(AppError) -> BarSeries in
                try data.load(request.source, start: request.start, end: request.end)
            }
        }
        var out: [IndicatorSeries] = []
        for spec in normalized {
            out.append(try await cache.indicator(spec, dataVersion: version, start: request.start, end: request.end) { () async throws(AppError) -> IndicatorSeries in
                try IndicatorSeries.compute(spec, over: try await loadBars())
            })
        }
        return out
    }
}
