import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A progress bar with rate and ETA on standard error, shown only on a terminal and only once a
/// task has run long enough to need one (0.5 s), redrawn at most ten times a second.
final class ProgressBar: Sendable {
    private let label: String
    private let unit: String
    private let enabled: Bool
    private let start = ContinuousClock.now
    private let state = Mutex<(lastDraw: ContinuousClock.Instant?, drawn: Bool)>((nil, false))
    private static let logger = Logger(label: "gpt-trader.progress")

    /// `unit` names what is counted, for the rate ("bars", "sets", "folds").
    init(label: String, unit: String = "bars", enabled: Bool) {
        self.label = label
        self.unit = unit
        self.enabled = enabled
    }

    func update(_ done: Int, _ total: Int) {
        guard total > 0 else { return }
        let now = ContinuousClock.now
        let elapsed = now - start
        guard enabled else {
            // No bar to draw (not a terminal, or JSON on standard output): the progress goes to
            // the log at debug level, at most once a second (`--log-level debug`).
            let due = state.withLock { s -> Bool in
                if let last = s.lastDraw, now - last < .seconds(1) { return false }
                s.lastDraw = now
                return true
            }
            if due { Self.logger.debug("\(label): \(done)/\(total) \(unit)") }
            return
        }
        guard elapsed > .milliseconds(500) else { return }
        let draw = state.withLock { s -> Bool in
            if let last = s.lastDraw, now - last < .milliseconds(100) { return false }
            s.lastDraw = now
            s.drawn = true
            return true
        }
        guard draw else { return }
        let fraction = Double(done) / Double(total)
        let width = 30
        let filled = Int(fraction * Double(width))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(done) / max(seconds, 1e-9)
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        writeStandardError("\r\(label) \(bar) \(Int(fraction * 100))%  \(Self.human(rate)) \(unit)/s  ETA \(String(format1(eta)))s ")
    }

    /// Clears the bar line if one was drawn.
    func finish() {
        guard enabled, state.withLock({ $0.drawn }) else { return }
        writeStandardError("\r\u{1B}[2K")
    }

    static func human(_ x: Double) -> String {
        if x >= 1e6 { return format1(x / 1e6) + "M" }
        if x >= 1e3 { return format1(x / 1e3) + "k" }
        return format1(x)
    }
}

func format1(_ x: Double) -> String {
    let r = (x * 10).rounded() / 10
    return r == r.rounded() ? String(Int(r)) + ".0" : String(r)
}
