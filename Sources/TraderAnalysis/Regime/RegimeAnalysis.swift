public import TraderCore

/// Which regime methods to run.
public enum RegimeMethod: String, Sendable, CaseIterable, Codable {
    /// bot_v2's thresholds only.
    case threshold
    /// The Gaussian HMM only.
    case hmm
    /// Both, with their agreement.
    case both

    /// Whether the threshold classifier runs.
    public var usesThresholds: Bool { self != .hmm }
    /// Whether the HMM is fitted.
    public var usesHMM: Bool { self != .threshold }
}

/// Everything `gpt-trader regime` reports for one series: the threshold readings and history,
/// the fitted HMM and its history, and how the two agree — computed once here so the CLI, the
/// API and workflows show the same numbers.
///
/// The series is resampled to daily bars (`DailyBars`). Every bar up to the end of the series
/// is used — bars before the reported range warm the classifier up and train the HMM, which
/// is legitimate because no reading depends on a later bar — and the history, shares,
/// transitions, changes and agreement cover `range` only.
public struct RegimeAnalysis: Sendable {
    /// The daily series analysed (the input itself for daily or longer bars).
    public let series: BarSeries
    /// The reported bars of `series`.
    public let range: Range<Int>
    /// The methods run.
    public let method: RegimeMethod
    /// The thresholds in use (annualized for this series).
    public let thresholds: RegimeThresholds
    /// Threshold readings for every bar of `series` (nil with `method == .hmm`).
    public let readings: [RegimeReading]?
    /// History of the threshold regimes over `range`.
    public let thresholdHistory: RegimeHistory?
    /// The fitted HMM (nil with `method == .threshold`).
    public let hmm: HMMRegimes?
    /// History of the HMM's Viterbi regimes over `range`.
    public let hmmHistory: RegimeHistory?
    /// Thresholds (rows) against the HMM's filtered regimes (columns) over `range`.
    public let agreement: RegimeAgreement?

    /// Analyses `series`, reporting from the first bar at or after `from` (all bars when nil).
    /// `thresholds` default to bot_v2's with the series' periods per year; throws naming the
    /// field when a setting is invalid or the series is too short for a method.
    public init(series input: BarSeries, from: Timestamp? = nil, method: RegimeMethod = .both,
                thresholds: RegimeThresholds? = nil, fitter: BaumWelch = BaumWelch()) throws(DomainError) {
        let series = DailyBars.resample(input)
        let thresholds = thresholds ?? RegimeThresholds(periodsPerYear: RegimeThresholds.periodsPerYear(for: series))
        try thresholds.validate()
        try fitter.validate()
        if method.usesThresholds && series.count <= thresholds.warmup {
            throw .invalid(field: "bars", reason: "the threshold method needs more than \(thresholds.warmup) daily bars "
                + "(the \(thresholds.trendWindow)-bar trend), got \(series.count)")
        }
        let needed = BaumWelch.observationsPerState * fitter.states + 1
        if method.usesHMM && series.count < needed {
            throw .invalid(field: "bars", reason: "the HMM with \(fitter.states) states needs at least \(needed) daily bars, got \(series.count)")
        }
        let lower = from.map { series.lowerBound($0.nanos) } ?? 0
        guard lower < series.count else {
            throw .invalid(field: "start", reason: "no bars of \(series.symbol) from \(from!) on")
        }
        let range = lower..<series.count
        self.series = series
        self.range = range
        self.method = method
        self.thresholds = thresholds

        var readings: [RegimeReading]? = nil
        var thresholdHistory: RegimeHistory? = nil
        if method.usesThresholds {
            let r = try ThresholdRegimeClassifier.classify(closes: series.close, thresholds: thresholds)
            readings = r
            thresholdHistory = RegimeHistory(regimes: r.map(\.regime), timestamps: series.timestamps.array, range: range)
        }
        self.readings = readings
        self.thresholdHistory = thresholdHistory

        var hmm: HMMRegimes? = nil
        var hmmHistory: RegimeHistory? = nil
        var agreement: RegimeAgreement? = nil
        if method.usesHMM {
            let fitted = try HMMRegimes(closes: series.close.array, fitter: fitter, thresholds: thresholds)
            hmm = fitted
            hmmHistory = RegimeHistory(regimes: fitted.viterbiRegimes, timestamps: series.timestamps.array, range: range)
            if let readings {
                agreement = RegimeAgreement(reference: readings.map(\.regime), other: fitted.filteredRegimes, range: range)
            }
        }
        self.hmm = hmm
        self.hmmHistory = hmmHistory
        self.agreement = agreement
    }

    /// The threshold reading of the last bar.
    public var current: RegimeReading? { readings?.last }
    /// The HMM's filtered regime at the last bar.
    public var currentHMMRegime: Regime? { hmm?.filteredRegimes.last ?? nil }
}
