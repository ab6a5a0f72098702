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
        /// Replace the terms of the kernel's order `kernelID` at the venue by `request` (its
        /// total units, kind and time in force; the client order id a replacing order gets).
        case replace(kernelID: Int, VenueOrderRequest)
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
        /// The signed units the fills among `reports` will add to the position.
        var unbooked = 0.0
    }

    private let state = Mutex(State())
    private let reportsWaiting = Atomic<Bool>(false)

    public init() {}

    /// Whether reports wait to be booked.
    public var hasReports: Bool { reportsWaiting.load(ordering: .acquiring) }

    /// Whether orders or cancels wait to go to the venue.
    public var hasCommands: Bool { state.withLock { !$0.commands.isEmpty } }

    func send(_ command: Command) { state.withLock { $0.commands.append(command) } }

    func takeCommands() -> [Command] { state.withLock { s in defer { s.commands.removeAll() }; return s.commands } }

    /// Hands `reports` to the broker; their fills change the position by `signedUnits`.
    func deliver(_ reports: [Report], signedUnits: Double) {
        guard !reports.isEmpty else { return }
        state.withLock { s in
            s.reports += reports
            s.unbooked += signedUnits
        }
        reportsWaiting.store(true, ordering: .releasing)
    }

    /// The signed units of fills reported and not yet booked: what the venue's position has and
    /// the books do not, between a sync and the next bar.
    var unbookedUnits: Double { state.withLock { $0.unbooked } }

    func takeReports() -> [Report] {
        guard hasReports else { return [] }
        return state.withLock { s in
            reportsWaiting.store(false, ordering: .releasing)
            defer { s.reports.removeAll(); s.unbooked = 0 }
            return s.reports
        }
    }
}
