extension PatternDetector {
    /// Double tops and bottoms.
    ///
    /// Three consecutive zigzag points peak–trough–peak (trough–peak–trough for a bottom) where
    /// the peaks are `minSeparation...maxSeparation` bars apart, differ by at most
    /// `peakTolerance` of the higher one, and the trough lies at least `minDepth` below the lower
    /// peak. The trough's price is the neckline: the first close below it confirms a top; a close
    /// above the higher peak first voids it (the market made a new high instead). The target is
    /// the neckline minus the peaks' mean height above it.
    func doubleTopsAndBottoms(_ s: Scan) -> [ChartPattern] {
        let p = parameters
        var out: [ChartPattern] = []
        let pv = s.pivots
        guard pv.count >= 3 else { return out }
        for i in 0...(pv.count - 3) {
            let a = pv[i], trough = pv[i + 1], b = pv[i + 2]
            let separation = b.index - a.index
            guard separation >= p.minSeparation, separation <= p.maxSeparation else { continue }
            let higher = max(a.price, b.price), lower = min(a.price, b.price)
            guard higher - lower <= p.peakTolerance * higher else { continue }
            let isTop = a.kind == .high
            let neckline = trough.price
            let peaks = (a.price + b.price) / 2
            if isTop {
                guard neckline <= lower * (1 - p.minDepth) else { continue }
                let result = s.outcome(after: b.index, confirm: { s.close($0) < neckline }, invalidate: { s.close($0) > higher })
                guard result != .invalidated else { continue }
                out.append(s.pattern(.doubleTop, bias: .bearish,
                                     points: [s.point("first-peak", a), s.point("neckline", trough), s.point("second-peak", b)],
                                     lastPivot: b, breakout: result.bar, target: neckline - (peaks - neckline)))
            } else {
                guard neckline >= higher * (1 + p.minDepth) else { continue }
                let result = s.outcome(after: b.index, confirm: { s.close($0) > neckline }, invalidate: { s.close($0) < lower })
                guard result != .invalidated else { continue }
                out.append(s.pattern(.doubleBottom, bias: .bullish,
                                     points: [s.point("first-trough", a), s.point("neckline", trough), s.point("second-trough", b)],
                                     lastPivot: b, breakout: result.bar, target: neckline + (neckline - peaks)))
            }
        }
        return out
    }

    /// Head and shoulders, and the inverse.
    ///
    /// Five consecutive zigzag points shoulder–trough–head–trough–shoulder where the head exceeds
    /// the higher shoulder by at least `minHeadExcess`, the shoulders differ by at most
    /// `shoulderTolerance`, the troughs by at most `necklineTolerance`, both shoulders stay beyond
    /// both troughs, and the shoulders are at most `maxHeadAndShouldersBars` apart. The neckline
    /// is the line through the two troughs: the first close beyond it (extended to that bar)
    /// confirms; a close beyond the head first voids the pattern. The target is the neckline at
    /// the breakout minus the head's height above the neckline.
    func headAndShoulders(_ s: Scan) -> [ChartPattern] {
        let p = parameters
        var out: [ChartPattern] = []
        let pv = s.pivots
        guard pv.count >= 5 else { return out }
        for i in 0...(pv.count - 5) {
            let left = pv[i], trough1 = pv[i + 1], head = pv[i + 2], trough2 = pv[i + 3], right = pv[i + 4]
            guard right.index - left.index <= p.maxHeadAndShouldersBars else { continue }
            let isTop = left.kind == .high
            // In price terms "beyond" is above for a top and below for an inverse pattern; flipping
            // the sign of every price lets one set of comparisons serve both.
            let d = isTop ? 1.0 : -1.0
            let ls = d * left.price, t1 = d * trough1.price, h = d * head.price, t2 = d * trough2.price, rs = d * right.price
            let outerShoulder = max(ls, rs), innerShoulder = min(ls, rs)
            guard h - outerShoulder >= p.minHeadExcess * abs(outerShoulder),
                  outerShoulder - innerShoulder <= p.shoulderTolerance * abs(outerShoulder),
                  abs(t1 - t2) <= p.necklineTolerance * max(abs(t1), abs(t2)),
                  innerShoulder > max(t1, t2)
            else { continue }
            guard let neck = TrendLine(bars: [trough1.index, trough2.index], prices: [trough1.price, trough2.price]) else { continue }
            let result = s.outcome(after: right.index, confirm: { d * s.close($0) < d * neck.value(at: $0) },
                                   invalidate: { d * s.close($0) > h })
            guard result != .invalidated else { continue }
            let height = head.price - neck.value(at: head.index)
            let breakLevel = neck.value(at: result.bar ?? right.index)
            let names = isTop ? ["left-shoulder", "left-trough", "head", "right-trough", "right-shoulder"]
                : ["left-shoulder", "left-peak", "head", "right-peak", "right-shoulder"]
            let points = zip(names, [left, trough1, head, trough2, right]).map { s.point($0, $1) }
            out.append(s.pattern(isTop ? .headAndShoulders : .inverseHeadAndShoulders, bias: isTop ? .bearish : .bullish,
                                 points: points, lastPivot: right, breakout: result.bar, target: breakLevel - height))
        }
        return out
    }
}

extension BreakoutOutcome {
    /// The confirming bar, if any.
    var bar: Int? {
        if case let .confirmed(j) = self { return j }
        return nil
    }
}
