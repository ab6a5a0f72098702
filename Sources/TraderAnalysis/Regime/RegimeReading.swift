/// What the threshold classifier saw at one bar: the regime and the three inputs that decided
/// it, so every label can be explained ("crisis: volatility 52 %, drawdown 31 %").
///
/// All inputs are fractions (0.25 = 25 %) and use only the bar and the bars before it.
public struct RegimeReading: Sendable, Hashable {
    /// The regime, nil during warm-up (`RegimeThresholds.warmup` bars).
    public var regime: Regime?
    /// Sample standard deviation (ddof 1) of the last `volatilityWindow` daily log returns,
    /// times √`periodsPerYear`; NaN until that many returns exist.
    public var volatility: Double
    /// Annualized log drift over the last `trendWindow` bars:
    /// `ln(close / close[trendWindow bars ago]) × periodsPerYear / trendWindow`, which is also the
    /// mean daily log return of the window times `periodsPerYear`; NaN until defined.
    public var trend: Double
    /// `1 − close / peak`, the peak being the highest close of the last `peakWindow` bars
    /// (all bars so far while fewer have been seen); 0 at a new high.
    public var drawdown: Double

    @inlinable
    public init(regime: Regime?, volatility: Double, trend: Double, drawdown: Double) {
        self.regime = regime
        self.volatility = volatility
        self.trend = trend
        self.drawdown = drawdown
    }
}
