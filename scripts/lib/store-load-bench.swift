import TraderCore
import TraderData
#if canImport(Glibc)
import Glibc
#endif

/// Times opening a bar store file and loading bars from it, in this process:
///   store-load-bench FILE all|touch|range|verify|csv REPS
/// Each rep opens the file afresh (a new BarStoreFile) and loads every bar ("all"), every bar and
/// then reads the five columns a backtest reads once ("touch": with zero-copy loads, the page
/// faults a copy used to take happen on this first read instead), one day of bars from the
/// middle ("range"), or hashes every column (`verify()`, "verify"); or reads FILE as CSV ("csv").
/// Prints one time in ms per rep. Built and run by scripts/bench-store-load.
@main struct StoreLoadBench {
    static func now() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return Double(t.tv_sec) * 1e3 + Double(t.tv_nsec) / 1e6
    }

    static func main() throws {
        let args = CommandLine.arguments
        let path = args[1], mode = args[2], reps = Int(args[3]) ?? 1
        var times: [String] = []
        var keep = 0
        for _ in 0..<reps {
            if mode == "csv" {
                let start = now()
                let s = try CSVBarReader.read(path: path)
                times.append("\(((now() - start) * 10).rounded() / 10)")
                keep &+= s.count
                continue
            }
            let start = now()
            let file = try BarStoreFile(path: path)
            let bars: BarSeries
            if mode == "verify" {
                try file.verify()
                bars = try file.load(0..<1)
            } else if mode == "all" {
                bars = try file.load()
            } else if mode == "touch" {
                bars = try file.load()
                var sum = 0.0, last: Int64 = 0
                for i in 0..<bars.count { sum += bars.open[i] + bars.high[i] + bars.low[i] + bars.close[i]; last &+= bars.timestamps[i] }
                if sum.isNaN || last == 42 { print("(unexpected)") }   // uses the reads, so they are not optimized away
            } else {
                let mid = file.first.nanos / 2 + file.last.nanos / 2
                bars = try file.load(from: Timestamp(nanos: mid), through: Timestamp(nanos: mid + 86_400_000_000_000))
            }
            let elapsed = now() - start
            keep &+= bars.count
            times.append("\((elapsed * 10).rounded() / 10)")
        }
        print(times.joined(separator: " "), "(\(keep / max(reps, 1)) bars)")
    }
}
