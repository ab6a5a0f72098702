// Measures regime detection (issue 4: 10 years of daily bars for 500 symbols in under 1 s) and
// the HMM fit, printing one JSON line per figure:
//
//   regime-bench [--symbols 500] [--bars 2520] [--reps 10] [--jobs N] [--only NAME]
//
// The bars are generated once (SyntheticBars, seed 42, one stream per symbol) and shared
// read-only; generation is not timed. Figures are the best and the median of the repetitions.
//   - scan: RegimeScan over all symbols in a task group with N jobs (default: all cores);
//   - scan-one-thread: ThresholdRegimeClassifier over each symbol in turn;
//   - hmm-fit: BaumWelch (3 states, 4 starts) on the first symbol's daily log returns;
//   - analysis: RegimeAnalysis (thresholds, history, HMM, agreement) of the first symbol.
import Foundation
import TraderAnalysis
import TraderCore
import TraderData

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

let symbolCount = option("symbols", 500)
let barCount = option("bars", 2_520)
let reps = option("reps", 10)
let jobs = option("jobs", ProcessInfo.processInfo.activeProcessorCount)
let only = args.firstIndex(of: "--only").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil }
func wanted(_ name: String) -> Bool { only == nil || only == name }

let generated = ContinuousClock.now
let universe = try SyntheticBars.generate(symbols: (0..<symbolCount).map { "SYM\($0)" }, bars: barCount, seed: 42)
let generation = ContinuousClock.now - generated
let returns = HMMRegimes.logReturns(universe[0].close.array)

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// Runs `body` `reps` times; best and median wall time in seconds.
func measure(_ body: () async throws -> Int) async throws -> (best: Double, median: Double, check: Int) {
    var times: [Double] = []
    var check = 0
    for _ in 0..<reps {
        let start = ContinuousClock.now
        check = try await body()
        times.append(seconds(ContinuousClock.now - start))
    }
    times.sort()
    return (times[0], times[times.count / 2], check)
}

/// Crisis bars in `regimes` (a checksum that keeps the work from being optimized away). A
/// function, not a closure of the top-level code: such closures are main-actor isolated and
/// Swift 6 checks the executor on every call, which would be timed with the scan.
func crisisCount(_ regimes: [Regime?]) -> Int {
    var n = 0
    for r in regimes where r == .crisis { n += 1 }
    return n
}

func report(_ name: String, _ r: (best: Double, median: Double, check: Int), extra: String = "") {
    let bars = symbolCount * barCount
    print("{\"benchmark\":\"\(name)\",\"symbols\":\(symbolCount),\"bars_per_symbol\":\(barCount),\"best_s\":\(r.best),"
        + "\"median_s\":\(r.median),\"bars_per_s\":\(Double(bars) / r.best),\"reps\":\(reps)\(extra),\"check\":\(r.check)}")
}

print("{\"generation_s\":\(seconds(generation)),\"bars\":\(symbolCount * barCount),\"jobs\":\(jobs)}")

if wanted("scan") {
    let scan = try await measure {
        let regimes = try await RegimeScan.regimes(universe, jobs: jobs)
        return regimes.reduce(0) { $0 + crisisCount($1) }
    }
    report("scan", scan, extra: ",\"jobs\":\(jobs)")
}

if wanted("scan-one-thread") {
    let single = try await measure {
        var crisis = 0
        for s in universe { crisis += crisisCount(try ThresholdRegimeClassifier.regimes(closes: s.close)) }
        return crisis
    }
    report("scan-one-thread", single)
}

if wanted("hmm-fit") {
    let hmm = try await measure {
        let fit = try BaumWelch(states: 3).fit(returns)
        return fit.iterations
    }
    print("{\"benchmark\":\"hmm-fit\",\"returns\":\(returns.count),\"states\":3,\"starts\":4,\"best_s\":\(hmm.best),"
        + "\"median_s\":\(hmm.median),\"iterations_of_winner\":\(hmm.check),\"reps\":\(reps)}")
}

if wanted("analysis") {
    let analysis = try await measure {
        let a = try RegimeAnalysis(series: universe[0])
        return a.thresholdHistory?.runs.count ?? 0
    }
    print("{\"benchmark\":\"analysis\",\"bars\":\(barCount),\"best_s\":\(analysis.best),\"median_s\":\(analysis.median),\"reps\":\(reps)}")
}
