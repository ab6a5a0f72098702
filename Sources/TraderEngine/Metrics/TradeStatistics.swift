import TraderCore

/// Statistics over closed trades, accumulated one trade at a time, so a streaming backtest can
/// fold its trades in as they close instead of keeping millions of them.
struct TradeStatistics {
    private(set) var count = 0
    private(set) var commissions = 0.0
    private var wins = 0, winPnL = 0.0, lossPnL = 0.0, lossCount = 0
    private var sumReturn = 0.0, gains = 0.0, losses = 0.0
    private var logSum = 0.0, wipedOut = false
    private var bestReturn = -Double.infinity, worstReturn = Double.infinity
    private var longest: Int64 = 0, durationSum: Int64 = 0
    /// PnL sums shifted by the first trade's PnL: a one-pass variance without the cancellation
    /// of raw sums of squares when the mean is large against the spread.
    private var pnlShift = 0.0, shiftedSum = 0.0, shiftedSquares = 0.0

    init() {}

    init(trades: [Trade]) {
        for t in trades { add(t) }
    }

    mutating func add(_ t: Trade) {
        if count == 0 { pnlShift = t.pnl }
        count += 1
        commissions += t.commission
        let pnl = t.pnl
        if pnl > 0 { wins += 1; winPnL += pnl }
        if pnl < 0 { lossPnL += pnl; lossCount += 1 }
        let d = pnl - pnlShift
        shiftedSum += d
        shiftedSquares += d * d
        let r = t.returnPct
        sumReturn += r
        if r > 0 { gains += r }
        if r < 0 { losses += r }
        bestReturn = max(bestReturn, r)
        worstReturn = min(worstReturn, r)
        if r + 1 <= 0 { wipedOut = true } else { logSum += log(r + 1) }
        let duration = t.exitTime.nanos - t.entryTime.nanos
        longest = max(longest, duration)
        durationSum += duration
    }

    private var n: Double { Double(count) }
    var winRate: Double { count == 0 ? .nan : Double(wins) / n }
    var best: Double { count == 0 ? .nan : bestReturn }
    var worst: Double { count == 0 ? .nan : worstReturn }
    var geometricMean: Double { count == 0 ? .nan : wipedOut ? 0 : exp(logSum / n) - 1 }
    var meanReturn: Double { count == 0 ? .nan : sumReturn / n }
    var profitFactor: Double { count == 0 ? .nan : gains / (losses == 0 ? .nan : abs(losses)) }
    /// `√n × mean(PnL) / std(PnL)` (ddof 1).
    var sqn: Double {
        guard count > 1 else { return .nan }
        let meanPnL = pnlShift + shiftedSum / n
        let variance = max(0, (shiftedSquares - shiftedSum * shiftedSum / n) / (n - 1))
        let sd = variance.squareRoot()
        return n.squareRoot() * meanPnL / (sd == 0 ? .nan : sd)
    }
    var kelly: Double {
        guard count > 0 else { return .nan }
        let avgWin = wins > 0 ? winPnL / Double(wins) : .nan
        let avgLoss = lossCount > 0 ? lossPnL / Double(lossCount) : .nan
        return winRate - (1 - winRate) / (avgWin / -avgLoss)
    }
    var maxDurationNanos: Int64? { count == 0 ? nil : longest }
    var meanDurationNanos: Int64? { count == 0 ? nil : Int64(Double(durationSum) / n) }
}

/// Bars covered by at least one trade, entry to exit inclusive: the size of the union of the
/// trades' bar intervals, added in order of their entry bars (trades of one margin-free position
/// close first-in first-out, so they arrive in that order).
struct ExposureUnion {
    private(set) var closedTotal = 0
    private var current: (start: Int, end: Int)?

    mutating func add(entry a: Int, exit b: Int) {
        guard let (start, end) = current else { current = (a, b); return }
        if a > end { closedTotal += end - start + 1; current = (a, b) } else if b > end { current = (start, b) }
    }

    var total: Int {
        guard let (start, end) = current else { return closedTotal }
        return closedTotal + end - start + 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
