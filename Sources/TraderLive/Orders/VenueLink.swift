import Synchronization
public import TraderCore

/// The hand-over between a `VenueBroker`, which the kernel calls synchronously inside a bar, and
/// the `OrderRouter`, which talks to the venue between bars: orders to send go one way, what the
/// venue reported goes the other. The session's loop alternates the two, so the lock is never
/// contended; `hasReports` lets the broker test for reports on every bar without taking it.
public final class VenueLink: Sendable {
    /// What the broker asks of the venue.
    public enum Command: Sendable, Equatable {
        /// Send `request`, the kernel's order `kernelID`.
        case submit(kernelID: Int, VenueOrderRequest)
        /// Cancel the kernel's order `kernelID`.
        case cancel(kernelID: Int)
    }

    /// What the venue reported of one of the kernel's orders.
    public struct Report: Sendable, Equatable {
        public var kernelID: Int
        public var report: OrderReport

        public init(kernelID: Int, report: OrderReport) {
            self.kernelID = kernelID
            self.report = report
        }
    }

    private struct State {
        var commands: [Command] = []
        var reports: [Report] = []
    }

    private let state = Mutex(State())
    private let reportsWaiting = Atomic<Bool>(false)

    public init() {}

    /// Whether reports wait to be booked.
    public var hasReports: Bool { reportsWaiting.load(ordering: .acquiring) }

    func send(_ command: Command) { state.withLock { $0.commands.append(command) } }

    func takeCommands() -> [Command] { state.withLock { s in defer { s.commands.removeAll() }; return s.commands } }

    func deliver(_ reports: [Report]) {
        guard !reports.isEmpty else { return }
        state.withLock { $0.reports += reports }
        reportsWaiting.store(true, ordering: .releasing)
    }

    func takeReports() -> [Report] {
        guard hasReports else { return [] }
        return state.withLock { s in
            reportsWaiting.store(false, ordering: .releasing)
            defer { s.reports.removeAll() }
            return s.reports
        }
    }
}
