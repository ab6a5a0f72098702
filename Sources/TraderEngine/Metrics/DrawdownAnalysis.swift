import TraderCore

/// Drawdown of an equity curve: `1 − equity / running peak`, its maximum, and its episodes.
///
/// An episode runs from a bar at a peak (drawdown exactly 0) to the next bar back at a peak, or to
/// the last bar if equity never recovers; only episodes longer than one bar count, as in
/// backtesting.py's `compute_drawdown_duration_peaks`.
///
/// No division per bar: within an episode the peak is fixed and `1 − e / peak` falls as `e` rises
/// (correctly rounded division and subtraction are monotone), so the deepest drawdown of an
/// episode is `1 − trough / peak` with `trough` its lowest equity — bit-identical to taking the
/// maximum of the per-bar drawdowns. A bar then costs one comparison with the peak and one with
/// the trough; the division happens once per episode.
struct DrawdownAnalysis {
    var peak = -Double.infinity
    var maxDrawdown = 0.0
    var episodes = 0
    var depthSum = 0.0
    var durationSum: Int64 = 0
    var longest: Int64 = 0
    // Running state of the scan.
    private var lastZero = 0
    private var lastZeroTime: Int64 = 0
    /// Lowest equity since the last bar at the peak (+∞ when none).
    private var trough = Double.infinity

    init() {}

    /// A whole curve at once, bar by bar (tests and small curves); `MetricsCalculator` adds it
    /// block by block inside its single pass instead.
    init(equity: [Double], timestamps: [Int64]) {
        for i in equity.indices { step(i, equity[i], timestamps[i]) }
        if let last = equity.indices.last { finish(last, timestamps[last]) }
    }

    /// Adds bars `bars` of equity `e` at times `t`, as `step` would one by one, given the lowest
    /// and highest equity among them.
    ///
    /// Most blocks of bars lie wholly below the running peak; then the only effect of the block is
    /// a lower trough, and the block's range (collected by `BetaAccumulator.add` while it reads the
    /// same equity) settles it without a per-bar pass. Blocks that reach the peak are stepped
    /// through bar by bar.
    @inline(__always)
    /// `indexOffset` turns buffer indices into bar numbers of the run (a streaming backtest's
    /// buffers hold one chunk).
    mutating func add(equity e: UnsafePointer<Double>, times t: UnsafePointer<Int64>, bars: Range<Int>, indexOffset: Int = 0,
                      range: EquityRange) {
        if range.high < peak {
            if range.low < trough { trough = range.low }
        } else {
            for i in bars { step(i + indexOffset, e[i], t[i]) }
        }
    }

    /// Adds bar `i` with equity `e` at time `t`. Call `finish` after the last bar.
    @inline(__always)
    mutating func step(_ i: Int, _ e: Double, _ t: Int64) {
        if e >= peak {
            atOrAbovePeak(i, e, t)
        } else {
            // A select, not a branch: new lows come at random. NaN equity never deepens a
            // drawdown, as a NaN drawdown does not.
            trough = e < trough ? e : trough
        }
    }

    /// A bar at or above the running peak.
    mutating func atOrAbovePeak(_ i: Int, _ e: Double, _ t: Int64) {
        // `1 − e / peak` is exactly 0 here unless it is NaN (0 / 0 or ∞ / ∞): such a bar neither
        // ends an episode nor deepens one.
        guard e != 0 && e.isFinite else {
            if e > peak { peak = e }
            return
        }
        if i > lastZero + 1 { closeEpisode(until: t) }  // measured against the old peak
        if e > peak { peak = e }
        lastZero = i
        lastZeroTime = t
        trough = .infinity
    }

    /// Ends the scan at bar `i` (time `t`): an episode still open counts, to the last bar.
    mutating func finish(_ i: Int, _ t: Int64) {
        let depth = currentDepth  // 0 when the last bar is at the peak
        if depth > maxDrawdown { maxDrawdown = depth }
        if i > lastZero + 1 { count(depth: depth, duration: t - lastZeroTime) }
    }

    /// Depth of the episode in progress: the largest `1 − e / peak` since the last zero, or 0.
    private var currentDepth: Double {
        let d = 1 - trough / peak
        return d > 0 ? d : 0  // also 0 when no bar deepened it (NaN or −∞)
    }

    private mutating func closeEpisode(until t: Int64) {
        let depth = currentDepth
        if depth > maxDrawdown { maxDrawdown = depth }
        count(depth: depth, duration: t - lastZeroTime)
    }

    private mutating func count(depth: Double, duration d: Int64) {
        episodes += 1
        depthSum += depth
        durationSum += d
        longest = max(longest, d)
    }

    var meanEpisodeDepth: Double { episodes == 0 ? .nan : depthSum / Double(episodes) }
    var maxEpisodeNanos: Int64? { episodes == 0 ? nil : longest }
    var meanEpisodeNanos: Int64? { episodes == 0 ? nil : Int64(Double(durationSum) / Double(episodes)) }
}

/// The lowest and highest equity of a block of bars, ignoring NaN (as the drawdown does).
struct EquityRange {
    var low = Double.infinity, high = -Double.infinity

    @inline(__always)
    mutating func add(_ e: Double) {
        if e < low { low = e }
        if e > high { high = e }
    }
}
