public import TraderCore

/// The windows and cut points of the threshold regime classifier (bot_v2's method), in one
/// validated value so that the classifier, the HMM state mapping and the reports all apply the
/// same rule.
///
/// The rule, applied to the inputs of one bar (see `classify(volatility:trend:drawdown:)`):
/// 1. **crisis** when `volatility >= crisisVolatility` (40 %) and `drawdown >= stressDrawdown`
///    (20 %): markets both wild and deep under water;
/// 2. otherwise the trend picks the direction — **bull** when `trend > sidewaysTrend` (+5 %/yr),
///    **bear** when `trend < -sidewaysTrend`, **sideways** in between (both ends included) —
///    and the volatility picks the character — **quiet** below `volatileVolatility` (25 %),
///    **volatile** from it up.
///
/// The other two cuts of bot_v2 are reported, not used in the seven-way decision (the regime
/// type has no room for them): `lowVolatility` (15 %) splits quiet into low and normal
/// (`VolatilityLevel`), `strongTrend` (20 %/yr) marks strong bull and bear trends (`TrendLevel`).
/// Every comparison is on fractions (0.25 = 25 %), annualized.
public struct RegimeThresholds: Sendable, Hashable, Codable {
    /// Daily log returns in the volatility window (20: about one trading month).
    public var volatilityWindow: Int
    /// Bars spanned by the trend (60: about one trading quarter).
    public var trendWindow: Int
    /// Bars over which the drawdown's peak is taken (252: one trading year, the "52-week high").
    public var peakWindow: Int
    /// Bars per year used to annualize: 252 for markets closed on weekends, 365 for markets
    /// that trade every day (see `periodsPerYear(for:)`).
    public var periodsPerYear: Double
    /// Below this annualized volatility the market is "low" volatility (still quiet).
    public var lowVolatility: Double
    /// From this annualized volatility up the market is volatile; below it, quiet.
    public var volatileVolatility: Double
    /// From this annualized volatility up, together with stress, the market is in crisis.
    public var crisisVolatility: Double
    /// The annualized trend must exceed this (in absolute value) to be bull or bear.
    public var sidewaysTrend: Double
    /// Beyond this annualized trend (in absolute value) a trend is reported as strong.
    public var strongTrend: Double
    /// A drawdown from the rolling peak of at least this is stress.
    public var stressDrawdown: Double

    /// The defaults of bot_v2: 20-bar volatility, 60-bar trend, 252-bar peak; volatility bands
    /// 15 / 25 / 40 %; trend cuts ±5 % and ±20 %; stress from a 20 % drawdown; 252 bars a year.
    public init(
        volatilityWindow: Int = 20, trendWindow: Int = 60, peakWindow: Int = 252, periodsPerYear: Double = 252,
        lowVolatility: Double = 0.15, volatileVolatility: Double = 0.25, crisisVolatility: Double = 0.40,
        sidewaysTrend: Double = 0.05, strongTrend: Double = 0.20, stressDrawdown: Double = 0.20
    ) {
        self.volatilityWindow = volatilityWindow
        self.trendWindow = trendWindow
        self.peakWindow = peakWindow
        self.periodsPerYear = periodsPerYear
        self.lowVolatility = lowVolatility
        self.volatileVolatility = volatileVolatility
        self.crisisVolatility = crisisVolatility
        self.sidewaysTrend = sidewaysTrend
        self.strongTrend = strongTrend
        self.stressDrawdown = stressDrawdown
    }

    /// Checks every field, naming the first one that is wrong.
    public func validate() throws(DomainError) {
        guard volatilityWindow >= 2 else {
            throw .invalid(field: "volatilityWindow", reason: "must be >= 2 returns, got \(volatilityWindow)")
        }
        try requirePositivePeriod(trendWindow, "trendWindow")
        try requirePositivePeriod(peakWindow, "peakWindow")
        guard periodsPerYear.isFinite, periodsPerYear > 0 else {
            throw .invalid(field: "periodsPerYear", reason: "must be > 0, got \(periodsPerYear)")
        }
        guard lowVolatility.isFinite, lowVolatility >= 0 else {
            throw .invalid(field: "lowVolatility", reason: "must be >= 0, got \(lowVolatility)")
        }
        guard volatileVolatility.isFinite, volatileVolatility >= lowVolatility else {
            throw .invalid(field: "volatileVolatility", reason: "must be >= lowVolatility (\(lowVolatility)), got \(volatileVolatility)")
        }
        guard crisisVolatility.isFinite, crisisVolatility >= volatileVolatility else {
            throw .invalid(field: "crisisVolatility", reason: "must be >= volatileVolatility (\(volatileVolatility)), got \(crisisVolatility)")
        }
        guard sidewaysTrend.isFinite, sidewaysTrend >= 0 else {
            throw .invalid(field: "sidewaysTrend", reason: "must be >= 0, got \(sidewaysTrend)")
        }
        guard strongTrend.isFinite, strongTrend >= sidewaysTrend else {
            throw .invalid(field: "strongTrend", reason: "must be >= sidewaysTrend (\(sidewaysTrend)), got \(strongTrend)")
        }
        guard stressDrawdown.isFinite, stressDrawdown > 0, stressDrawdown < 1 else {
            throw .invalid(field: "stressDrawdown", reason: "must be in (0, 1), got \(stressDrawdown)")
        }
    }

    /// Bars the classifier needs before its first regime: the trend spans `trendWindow` returns
    /// and the volatility `volatilityWindow` returns, so the first regime is at bar index
    /// `max(trendWindow, volatilityWindow)` (that many bars after the first).
    @inlinable public var warmup: Int { Swift.max(trendWindow, volatilityWindow) }

    /// The seven-way rule above; nil when an input is not defined yet (NaN).
    @inlinable
    public func classify(volatility: Double, trend: Double, drawdown: Double) -> Regime? {
        guard !volatility.isNaN, !trend.isNaN, !drawdown.isNaN else { return nil }
        if volatility >= crisisVolatility && drawdown >= stressDrawdown { return .crisis }
        let volatile = volatility >= volatileVolatility
        if trend > sidewaysTrend { return volatile ? .bullVolatile : .bullQuiet }
        if trend < -sidewaysTrend { return volatile ? .bearVolatile : .bearQuiet }
        return volatile ? .sidewaysVolatile : .sidewaysQuiet
    }

    /// The regime of a statistical state described by its annualized drift and volatility (the
    /// HMM's states have no drawdown): the same cuts, with crisis for a state at crisis
    /// volatility whose drift is a strong bear trend (`<= -strongTrend`) — a state that loses a
    /// fifth of its value a year while swinging wildly is the HMM's picture of stress.
    @inlinable
    public func classifyState(volatility: Double, drift: Double) -> Regime {
        if volatility >= crisisVolatility && drift <= -strongTrend { return .crisis }
        return classify(volatility: volatility, trend: drift, drawdown: 0) ?? .sidewaysQuiet
    }

    /// Where an annualized volatility falls among the bands.
    @inlinable
    public func volatilityLevel(_ volatility: Double) -> VolatilityLevel? {
        if volatility.isNaN { return nil }
        if volatility < lowVolatility { return .low }
        if volatility < volatileVolatility { return .normal }
        if volatility < crisisVolatility { return .high }
        return .extreme
    }

    /// Where an annualized trend falls among the cuts.
    @inlinable
    public func trendLevel(_ trend: Double) -> TrendLevel? {
        if trend.isNaN { return nil }
        if trend > strongTrend { return .strongBull }
        if trend > sidewaysTrend { return .bull }
        if trend < -strongTrend { return .strongBear }
        if trend < -sidewaysTrend { return .bear }
        return .sideways
    }

    /// Bars per year for `series`: for daily bars 252, or 365 when the market trades on weekends
    /// (`BarSeries.tradesOnWeekends`, backtesting.py's test); for longer bars the number of such
    /// bars in 365.25 days (52.2 weekly bars). Intraday series are resampled to daily closes
    /// before classification (`DailyCloses`), so they are annualized as daily bars.
    public static func periodsPerYear(for series: BarSeries) -> Double {
        let seconds = Double(series.timeframe.seconds)
        if seconds > 86_400 * 1.5 { return 365.25 * 86_400 / seconds }
        return series.tradesOnWeekends ? 365 : 252
    }
}

/// The volatility bands of bot_v2 (15 / 25 / 40 %): low and normal are quiet, high and extreme
/// are volatile, and extreme volatility with stress is crisis.
public enum VolatilityLevel: String, Sendable, CaseIterable, Codable {
    case low, normal, high, extreme
}

/// The trend cuts of bot_v2 (±5 % and ±20 % a year).
public enum TrendLevel: String, Sendable, CaseIterable, Codable {
    case strongBear = "strong-bear"
    case bear
    case sideways
    case bull
    case strongBull = "strong-bull"
}
