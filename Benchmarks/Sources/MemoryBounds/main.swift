// Measures the memory bounds of issue 3 and prints one JSON line per figure:
//
//   memory-bounds optimize [--bars 1000000] [--sets 10000] [--jobs N]
//       peak resident memory while N workers run SETS SMA-crossover backtests over BARS seeded
//       synthetic one-minute bars; the bound is the bars' size + 64 MB.
//   memory-bounds stream FILE.gtbars
//       peak resident memory and time of a streaming SMA-crossover backtest over a bar-store file
//       (make one with `gpt-trader data generate --bars 100000000 --timeframe 1m`); the bound is
//       100 MB whatever the file's size.
//
// The peak is the kernel's high-water mark of resident memory (VmHWM), reset with
// /proc/self/clear_refs once the bars are loaded, so it covers exactly the optimization with the
// bars resident (and the process's own runtime baseline, which counts against the 64 MB).
import Foundation
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}

/// Resident memory high-water mark and current size, in bytes, from /proc/self/status.
func residentMemory() -> (peak: Int, current: Int) {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    func field(_ name: String) -> Int {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return -1 }
        return (Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? -1) * 1024
    }
    return (field("VmHWM"), field("VmRSS"))
}

/// Resets the high-water mark to the current resident size (Linux ≥ 4.0).
func resetPeak() {
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}

final class Box<T>: @unchecked Sendable { var value: T?; init() {} }

func blocking<T>(_ body: @escaping @Sendable () async -> T) -> T {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    Task.detached { box.value = await body(); done.signal() }
    done.wait()
    return box.value!
}

switch args.first {
case "optimize":
    let barCount = option("bars", 1_000_000), setCount = option("sets", 10_000)
    let jobs = option("jobs", ProcessInfo.processInfo.activeProcessorCount)
    let bars = try SyntheticBars.generate(symbol: "SYN", bars: barCount, seed: 42, timeframe: .minute1)
    // fast 2..101 × slow 102..., all valid (fast < slow), as many as asked.
    var sets: [[String: Double]] = []
    var slow = 102
    while sets.count < setCount {
        for fast in 2...101 where sets.count < setCount { sets.append(["fast": Double(fast), "slow": Double(slow)]) }
        slow += 1
    }
    let allSets = sets
    let before = residentMemory()
    resetPeak()
    let start = ContinuousClock.now
    let result = blocking {
        await Optimizer.run(strategy: "sma-crossover", sets: allSets, on: bars, settings: ExecutionSettings(),
                            objective: Objective(metric: .sharpe), top: 10, jobs: jobs)
    }
    let elapsed = ContinuousClock.now - start
    let after = residentMemory()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let bound = bars.byteCount + 64 << 20
    print("{\"task\": \"optimize-memory\", \"bars\": \(barCount), \"sets\": \(setCount), \"evaluated\": \(result.evaluated), \"jobs\": \(jobs), "
        + "\"bars_bytes\": \(bars.byteCount), \"rss_before_bytes\": \(before.current), \"peak_rss_bytes\": \(after.peak), "
        + "\"bound_bytes\": \(bound), \"within_bound\": \(after.peak <= bound), \"seconds\": \(seconds)}")
case "stream" where args.count > 1:
    let file = try BarStoreFile(path: args[1])
    let chunks = file.chunks()
    let start = ContinuousClock.now
    let result = try Backtester.runStreaming(try SMACrossover(fast: 10, slow: 20), name: "sma", chunks: { try chunks.nextChunk() },
                                             settings: ExecutionSettings())
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let peak = residentMemory().peak
    print("{\"task\": \"stream-memory\", \"bars\": \(result.barCount), \"chunks\": \(result.chunkCount), \"file_bytes\": \(file.byteCount), "
        + "\"peak_rss_bytes\": \(peak), \"bound_bytes\": \(100 << 20), \"within_bound\": \(peak <= 100 << 20), \"seconds\": \(seconds), "
        + "\"bars_per_s\": \(Int(Double(result.barCount) / seconds)), \"trades\": \(result.metrics.tradeCount), \"equity_final\": \(result.metrics.equityFinal)}")
default:
    FileHandle.standardError.write(Data("usage: memory-bounds optimize [--bars N] [--sets N] [--jobs N] | stream FILE.gtbars\n".utf8))
    exit(2)
}
