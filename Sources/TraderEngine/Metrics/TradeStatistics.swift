import TraderCore

/// Statistics over closed trades.
struct TradeStatistics {
    var commissions = 0.0
    var winRate = Double.nan
    var best = Double.nan
    var worst = Double.nan
    var geometricMean = Double.nan
    var meanReturn = Double.nan
    var profitFactor = Double.nan
    var sqn = Double.nan
    var kelly = Double.nan
    var maxDurationNanos: Int64?
    var meanDurationNanos: Int64?

    init(trades: [Trade]) {
        let n = trades.count
        for t in trades { commissions += t.commission }
        guard n > 0 else { return }
        var wins = 0, sumPnL = 0.0, sumRet = 0.0, gains = 0.0, losses = 0.0
        var winPnL = 0.0, winCount = 0, lossPnL = 0.0, lossCount = 0
        var logSum = 0.0, wipedOut = false
        var longest: Int64 = 0, durationSum: Int64 = 0
        best = -.infinity
        worst = .infinity
        for t in trades {
            if t.pnl > 0 { wins += 1; winPnL += t.pnl; winCount += 1 }
            if t.pnl < 0 { lossPnL += t.pnl; lossCount += 1 }
            sumPnL += t.pnl
            let r = t.returnPct
            sumRet += r
            if r > 0 { gains += r }
            if r < 0 { losses += r }
            best = max(best, r)
            worst = min(worst, r)
            if r + 1 <= 0 { wipedOut = true } else { logSum += log(r + 1) }
            let d = t.exitTime.nanos - t.entryTime.nanos
            longest = max(longest, d)
            durationSum += d
        }
        winRate = Double(wins) / Double(n)
        geometricMean = wipedOut ? 0 : exp(logSum / Double(n)) - 1
        meanReturn = sumRet / Double(n)
        profitFactor = gains / (losses == 0 ? .nan : abs(losses))
        let meanPnL = sumPnL / Double(n)
        if n > 1 {
            var ss = 0.0
            for t in trades { ss += (t.pnl - meanPnL) * (t.pnl - meanPnL) }
            let sd = (ss / Double(n - 1)).squareRoot()
            sqn = Double(n).squareRoot() * meanPnL / (sd == 0 ? .nan : sd)
        }
        let avgWin = winCount > 0 ? winPnL / Double(winCount) : .nan
        let avgLoss = lossCount > 0 ? lossPnL / Double(lossCount) : .nan
        kelly = winRate - (1 - winRate) / (avgWin / -avgLoss)
        maxDurationNanos = longest
        meanDurationNanos = Int64(Double(durationSum) / Double(n))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
