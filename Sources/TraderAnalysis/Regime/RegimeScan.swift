public import TraderCore

/// Threshold regimes for many symbols at once: the market-wide scan (500 symbols × 10 years of
/// daily bars in well under a second) that screens, selectors and portfolio tiers start from.
///
/// Symbols are independent, so they are classified in parallel in a task group; the bars are
/// shared read-only (a `BarSeries` copy shares its columns), and each task writes only its own
/// result.
public enum RegimeScan {
    /// The per-bar regimes of each series, in order (nil during warm-up). Each series is
    /// annualized for itself (`RegimeThresholds.periodsPerYear(for:)`) unless `thresholds` is
    /// given; intraday series are resampled to daily bars first. `jobs` bounds the tasks in
    /// flight (pass the number of cores).
    public static func regimes(
        _ series: [BarSeries], thresholds: RegimeThresholds? = nil, jobs: Int
    ) async throws(DomainError) -> [[Regime?]] {
        if let thresholds { try thresholds.validate() }
        guard jobs >= 1 else { throw .invalid(field: "jobs", reason: "must be >= 1, got \(jobs)") }
        let workers = Swift.min(jobs, series.count)
        let outcome: Result<[[Regime?]], DomainError> = await withTaskGroup(of: (Int, Result<[Regime?], DomainError>).self) { group in
            var results = [[Regime?]](repeating: [], count: series.count)
            var next = 0
            func submit() {
                let i = next
                let bars = series[i]
                next += 1
                group.addTask { (i, Result { () throws(DomainError) in try classify(bars, thresholds: thresholds) }) }
            }
            while next < workers { submit() }
            for await (i, result) in group {
                switch result {
                case let .success(r): results[i] = r
                case let .failure(e): group.cancelAll(); return .failure(e)
                }
                if next < series.count { submit() }
            }
            return .success(results)
        }
        return try outcome.get()
    }

    /// The per-bar regimes of one series (daily-resampled, annualized for itself unless
    /// `thresholds` is given).
    public static func classify(_ series: BarSeries, thresholds: RegimeThresholds? = nil) throws(DomainError) -> [Regime?] {
        let daily = DailyBars.resample(series)
        var t = thresholds ?? RegimeThresholds()
        if thresholds == nil { t.periodsPerYear = RegimeThresholds.periodsPerYear(for: daily) }
        return try ThresholdRegimeClassifier.regimes(closes: daily.close, thresholds: t)
    }
}
