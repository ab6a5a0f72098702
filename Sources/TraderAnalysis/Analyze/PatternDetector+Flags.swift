extension PatternDetector {
    /// Bull and bear flags.
    ///
    /// The pole is two consecutive zigzag points, a swing low then a swing high (bull) or a high
    /// then a low (bear), at most `maxPoleBars` apart, with a move of at least `minPoleReturn`.
    /// The flag is the consolidation of the bars after the pole's end: least-squares lines
    /// through their highs and lows form a channel that is valid when it has at least
    /// `minFlagBars` bars, runs against the pole or flat (mean slope ≤ 0 for a bull flag, ≥ 0 for
    /// a bear flag) and its lines diverge by at most `parallelTolerance` of the pole over the
    /// flag. Bar by bar from the pole's end: a close beyond the valid channel's far line (above
    /// the upper for a bull flag) is the breakout and confirms; a bar beyond the pole's end, or
    /// giving back more than `maxRetracement` of the pole, voids it, and so does a consolidation
    /// longer than `maxFlagBars`. Up to the analysed bar without either, a valid channel is a
    /// forming flag ending at the analysed bar. The target is the breakout close (the pole's end
    /// while forming) plus the pole's length.
    func flags(_ s: Scan) -> [ChartPattern] {
        let pv = s.pivots
        var out: [ChartPattern] = []
        guard pv.count >= 2 else { return out }
        for i in 0..<(pv.count - 1) {
            if let flag = flag(s, pole: pv[i], poleEnd: pv[i + 1]) { out.append(flag) }
        }
        return out
    }

    /// The flag on the pole from `a` to `b`, or nil.
    func flag(_ s: Scan, pole a: SwingPoint, poleEnd b: SwingPoint) -> ChartPattern? {
        let p = parameters
        let bull = a.kind == .low
        let d = bull ? 1.0 : -1.0
        let poleBars = b.index - a.index
        guard poleBars <= p.maxPoleBars, d * (b.price - a.price) >= p.minPoleReturn * a.price else { return nil }
        let height = abs(b.price - a.price)
        let series = s.series
        var j = b.index + 1
        var breakout: Int?
        while j <= s.last {
            let count = j - b.index - 1
            if count > p.maxFlagBars { return nil }
            if count >= p.minFlagBars, let channel = channel(s, bars: (b.index + 1)..<j, bull: bull, height: height) {
                let far = bull ? channel.upper.value(at: j) : channel.lower.value(at: j)
                if d * s.close(j) > d * far {
                    breakout = j
                    break
                }
            }
            // Bar j joins the consolidation: it may not pass the pole's end or give back too much.
            let beyond = bull ? series.high[j] > b.price : series.low[j] < b.price
            let giveBack = bull ? b.price - series.low[j] : series.high[j] - b.price
            if beyond || giveBack > p.maxRetracement * height { return nil }
            j += 1
        }
        let flagEnd: Int
        if let breakout {
            flagEnd = breakout - 1
        } else {
            flagEnd = s.last
            let count = flagEnd - b.index
            guard count >= p.minFlagBars, count <= p.maxFlagBars,
                  channel(s, bars: (b.index + 1)..<(flagEnd + 1), bull: bull, height: height) != nil
            else { return nil }
        }
        let points = [s.point("pole-start", a), s.point(bull ? "pole-top" : "pole-bottom", b),
                      s.point("flag-end", closeOf: flagEnd)]
        let from = breakout.map { s.close($0) } ?? b.price
        return s.pattern(bull ? .bullFlag : .bearFlag, bias: bull ? .bullish : .bearish, points: points, lastPivot: b,
                         breakout: breakout, target: from + d * height, start: a.index, end: breakout ?? flagEnd)
    }

    /// The consolidation channel of `bars` when it is a valid flag channel.
    func channel(_ s: Scan, bars: Range<Int>, bull: Bool, height: Double) -> (upper: TrendLine, lower: TrendLine)? {
        let indices = Array(bars)
        guard let upper = TrendLine(bars: indices, prices: indices.map { s.series.high[$0] }),
              let lower = TrendLine(bars: indices, prices: indices.map { s.series.low[$0] })
        else { return nil }
        let mid = (upper.slope + lower.slope) / 2
        guard bull ? mid <= 0 : mid >= 0 else { return nil }
        guard abs(upper.slope - lower.slope) * Double(indices.count) <= parameters.parallelTolerance * height else { return nil }
        return (upper, lower)
    }
}
