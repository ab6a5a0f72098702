/// The two lines of a triangle and which triangle they make.
struct TriangleFit {
    let kind: PatternKind
    let upper: TrendLine
    let lower: TrendLine
    /// Gap between the lines at the first swing point.
    let height: Double
}

extension PatternDetector {
    /// Ascending, descending and symmetrical triangles.
    ///
    /// A run of at least `minTrianglePivots` consecutive zigzag points spanning at most
    /// `maxTriangleBars` bars, with least-squares lines through its highs (upper) and its lows
    /// (lower), at least two on each, such that: every swing point lies within `fitTolerance` of
    /// its line; every close from the first to the last point lies inside the lines (within the
    /// same tolerance); the gap between the lines is positive and has shrunk by at least
    /// `minConvergence` from the first point to the last; and the lines' moves over the run,
    /// relative to the mean price, classify it — upper flat and lower rising: ascending; upper
    /// falling and lower flat: descending; upper falling and lower rising: symmetrical ("flat"
    /// means within `flatTolerance`). Runs are scanned from the earliest point; each takes the
    /// longest run that qualifies and the scan resumes after it, so triangles do not overlap.
    ///
    /// After the last point the first close outside the lines is the breakout and sets the bias
    /// (up: bullish, down: bearish); before it the bias is the kind's lean (ascending bullish,
    /// descending bearish, symmetrical neutral). A triangle with no breakout by the apex, where
    /// the lines meet, is void. The target is the breakout close plus (or minus) the height.
    func triangles(_ s: Scan) -> [ChartPattern] {
        let p = parameters
        let pv = s.pivots
        var out: [ChartPattern] = []
        var start = 0
        while start + p.minTrianglePivots <= pv.count {
            var best: (end: Int, fit: TriangleFit)?
            var end = start + p.minTrianglePivots - 1
            while end < pv.count && pv[end].index - pv[start].index <= p.maxTriangleBars {
                if let fit = triangleFit(s, start...end) { best = (end, fit) }
                end += 1
            }
            guard let best else {
                start += 1
                continue
            }
            if let pattern = triangle(s, start...best.end, best.fit) { out.append(pattern) }
            start = best.end + 1
        }
        return out
    }

    /// The triangle the zigzag points `range` form, or nil.
    func triangleFit(_ s: Scan, _ range: ClosedRange<Int>) -> TriangleFit? {
        let p = parameters
        let points = s.pivots[range]
        let highs = points.filter { $0.kind == .high }, lows = points.filter { $0.kind == .low }
        guard highs.count >= 2, lows.count >= 2,
              let upper = TrendLine(bars: highs.map(\.index), prices: highs.map(\.price)),
              let lower = TrendLine(bars: lows.map(\.index), prices: lows.map(\.price))
        else { return nil }
        let first = points.first!.index, last = points.last!.index
        let meanPrice = points.reduce(0) { $0 + $1.price } / Double(points.count)
        let tolerance = p.fitTolerance * meanPrice
        guard upper.maxResidual(bars: highs.map(\.index), prices: highs.map(\.price)) <= tolerance,
              lower.maxResidual(bars: lows.map(\.index), prices: lows.map(\.price)) <= tolerance
        else { return nil }
        let startGap = upper.value(at: first) - lower.value(at: first)
        let endGap = upper.value(at: last) - lower.value(at: last)
        guard endGap > 0, endGap <= (1 - p.minConvergence) * startGap else { return nil }
        for i in first...last {
            let c = s.close(i)
            guard c <= upper.value(at: i) + tolerance, c >= lower.value(at: i) - tolerance else { return nil }
        }
        let span = Double(last - first)
        let upperMove = upper.slope * span / meanPrice, lowerMove = lower.slope * span / meanPrice
        let flat = p.flatTolerance
        let kind: PatternKind
        if abs(upperMove) <= flat && lowerMove > flat {
            kind = .ascendingTriangle
        } else if upperMove < -flat && abs(lowerMove) <= flat {
            kind = .descendingTriangle
        } else if upperMove < -flat && lowerMove > flat {
            kind = .symmetricalTriangle
        } else {
            return nil
        }
        return TriangleFit(kind: kind, upper: upper, lower: lower, height: startGap)
    }

    /// The triangle pattern for a qualifying run, with its breakout; nil when void.
    func triangle(_ s: Scan, _ range: ClosedRange<Int>, _ fit: TriangleFit) -> ChartPattern? {
        let points = s.pivots[range]
        let lastPivot = points.last!
        // Lines converge (upper slope < lower slope), so they meet after the last point.
        let apex = (fit.lower.intercept - fit.upper.intercept) / (fit.upper.slope - fit.lower.slope)
        let deadline = apex.isFinite && apex < Double(Int.max / 2) ? Int(apex.rounded(.down)) : s.last
        var direction = 0.0
        let result = s.outcome(after: lastPivot.index, deadline: deadline, confirm: { j in
            let c = s.close(j)
            if c > fit.upper.value(at: j) { direction = 1 } else if c < fit.lower.value(at: j) { direction = -1 }
            return direction != 0
        }, invalidate: { _ in false })
        guard result != .invalidated else { return nil }
        let lean: PatternBias = fit.kind == .ascendingTriangle ? .bullish : fit.kind == .descendingTriangle ? .bearish : .neutral
        let bias: PatternBias = direction > 0 ? .bullish : direction < 0 ? .bearish : lean
        let keyPoints = points.map { s.point($0.kind == .high ? "upper-touch" : "lower-touch", $0) }
        let target = result.bar.map { s.close($0) + direction * fit.height }
        return s.pattern(fit.kind, bias: bias, points: keyPoints, lastPivot: lastPivot, breakout: result.bar, target: target)
    }
}
