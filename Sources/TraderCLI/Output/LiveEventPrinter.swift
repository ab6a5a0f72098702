import Foundation
#if canImport(Glibc)
import Glibc
#endif
import TraderCore
import TraderLive

/// Prints a running session's notable events as they happen, one line each (fills, closed
/// trades, refusals, system events); bars and account updates are left to the final report.
/// Reads the bus in its own task, so a slow terminal never slows the session (the bus drops
/// and counts instead).
final class LiveEventPrinter: Sendable {
    private let task: Task<Void, Never>

    init(terminal: Terminal, bus: EventBus) {
        let events = bus.subscribe()
        task = Task {
            for await event in events {
                guard let line = Self.line(event, terminal: terminal) else { continue }
                print(line)
                // Live lines are read as they come (a pipe, a log file): no block buffering.
                fflush(nil)
            }
        }
    }

    /// Waits until every event published before the bus finished is printed.
    func finished() async { await task.value }

    static func line(_ event: LiveEvent, terminal: Terminal) -> String? {
        switch event {
        case let .system(bot, e):
            let text = "[\(bot)] \(e.code): \(e.message)"
            return e.level == .info ? terminal.paint(text, .dim) : terminal.paint(text, .yellow)
        case let .trading(bot, symbol, e):
            switch e {
            case let .filled(f):
                return "[\(bot)] \(f.timestamp.iso8601(dateOnlyAtMidnight: true)) \(f.side) \(number(f.quantity)) \(symbol) @ \(number(f.price))"
                    + (f.commission > 0 ? " (commission \(number(f.commission)))" : "")
            case let .tradeClosed(t):
                let pnl = terminal.paint(String(format: "%+.2f", t.pnl), t.pnl >= 0 ? .green : .red)
                return "[\(bot)] trade closed: \(number(t.size)) \(symbol) \(number(t.entryPrice)) → \(number(t.exitPrice)), P&L \(pnl) (\(t.exitReason.rawValue))"
            case let .riskRefused(_, refusal):
                return terminal.paint("[\(bot)] refused by risk rules: \(refusal.reason)", .yellow)
            case let .orderRejected(_, reason):
                return terminal.paint("[\(bot)] order rejected: \(reason)", .yellow)
            default:
                return nil
            }
        case .bar, .portfolio:
            return nil
        }
    }

    private static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%.4f", x)
    }
}
