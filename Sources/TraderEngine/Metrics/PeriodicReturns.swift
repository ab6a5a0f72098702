import TraderCore

/// Equity returns between calendar periods (days for intraday and daily bars; weeks, months or
/// years for coarser bars): the last equity of each period with bars, then percentage changes.
struct PeriodicReturns {
    var returns: [Double] = []

    init(returns: [Double]) { self.returns = returns }

    init(equity: [Double], timestamps: [Int64], frequencyDays: Int64) {
        var lastKey = Int64.min
        var lastValue = Double.nan
        var previousPeriodValue = Double.nan
        func key(_ t: Int64) -> Int64 {
            let day = Timestamp(nanos: t).epochDay
            switch frequencyDays {
            case 7: return Int64((Double(day + 3) / 7).rounded(.down))  // weeks ending Sunday
            case 31, 365:
                let c = Timestamp.civilFromDays(day)
                return frequencyDays == 31 ? Int64(c.year * 12 + c.month) : Int64(c.year)
            default: return day
            }
        }
        var periodEnd = Int64.min  // for daily periods: the next midnight, so keys change rarely
        for i in 0..<equity.count {
            let t = timestamps[i]
            let k: Int64
            if frequencyDays == 7 || frequencyDays == 31 || frequencyDays == 365 {
                k = key(t)
            } else if t >= periodEnd {
                k = Timestamp(nanos: t).epochDay
                periodEnd = (k + 1) * Timestamp.nanosPerDay
            } else {
                k = lastKey
            }
            if k != lastKey {
                if lastKey != Int64.min {
                    if previousPeriodValue.isFinite { returns.append(lastValue / previousPeriodValue - 1) }
                    previousPeriodValue = lastValue
                }
                lastKey = k
            }
            lastValue = equity[i]
        }
        if lastKey != Int64.min, previousPeriodValue.isFinite { returns.append(lastValue / previousPeriodValue - 1) }
    }

    /// `exp(mean(log(1 + r))) − 1`, 0 if any period lost everything, NaN with no returns.
    var geometricMean: Double {
        guard !returns.isEmpty else { return .nan }
        var s = 0.0
        for r in returns {
            let x = (r.isNaN ? 0 : r) + 1
            if x <= 0 { return 0 }
            s += log(x)
        }
        return exp(s / Double(returns.count)) - 1
    }

    /// Sample variance (ddof 1), two-pass.
    var sampleVariance: Double {
        guard returns.count > 1 else { return .nan }
        var mean = 0.0
        for r in returns { mean += r }
        mean /= Double(returns.count)
        var ss = 0.0
        for r in returns { ss += (r - mean) * (r - mean) }
        return ss / Double(returns.count - 1)
    }

    /// `sqrt(mean(min(r, 0)²))` over all periods.
    var downsideDeviation: Double {
        guard !returns.isEmpty else { return .nan }
        var ss = 0.0
        for r in returns where r < 0 { ss += r * r }
        return (ss / Double(returns.count)).squareRoot()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
