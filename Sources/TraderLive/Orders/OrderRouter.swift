public import Foundation
public import TraderCore
public import TraderStore

/// Sends a `VenueBroker`'s orders to a venue and brings back what the venue reports, between
/// bars: the asynchronous half of trading at a venue (the broker is the synchronous half, inside
/// the kernel).
///
/// Each order is tracked by its client order id (`OrderIdentity`) through an `OrderLifecycle`:
/// - a submit that fails without an answer leaves the order `submitted`; the next `sync` asks
///   the venue for it by client order id and sends it again only if the venue has none, so an
///   order is never placed twice (the venue also refuses a second order under one id, and the
///   refusal leads to the same lookup);
/// - the venue's view of an order (filled quantity, average price, status) becomes reports:
///   each fill is the change in filled quantity since the last look, priced so that the average
///   comes out as the venue's, under an execution id of the venue's order id and the filled
///   quantity, so the same fill seen twice counts once;
/// - reports no order may receive (a fill beyond the quantity, a filled order cancelled) are
///   refused by the lifecycle and logged, never booked;
/// - a replace goes out between bars like a submit. Where the venue replaces by a new order
///   (Alpaca), the new one carries a derived client order id (`OrderIdentity`), so a replace
///   whose answer was lost is found by looking that id up, never sent twice; the order it
///   replaced is watched until it ends, since it may fill before the replacement reaches the
///   market, and its fills count toward the kernel's order. A replace the venue refuses (the
///   order filled meanwhile, a state it cannot replace in yet) is tried at the next syncs, then
///   dropped with a warning: the order stands as placed.
public actor OrderRouter<Client: VenueTradingClient> {
    public let client: Client
    public let link: VenueLink
    public let symbol: String
    public let identity: OrderIdentity

    struct Tracked {
        var request: VenueOrderRequest
        var lifecycle: OrderLifecycle
        var venueOrderID: String?
        var cancelAsked = false
        /// What the venue reported of the order working under `request.clientOrderID`.
        var current = Leg()
        /// Venue orders this one replaced (a venue that replaces by a new order): watched until
        /// each ends, their fills counted with the current one's.
        var earlier: [Leg] = []
        /// A replacement asked for and not yet confirmed, and the syncs that tried it.
        var replacement: VenueOrderRequest?
        var replaceTries = 0

        /// Units filled over every venue order, their average price (the venue's own when one
        /// order filled), and the fees.
        var totals: (filled: Double, average: Double?, fees: Double) {
            guard !earlier.isEmpty else { return (current.filled, current.average, current.fees) }
            let legs = earlier + [current]
            let filled = legs.reduce(0) { $0 + $1.filled }
            let value = legs.reduce(0) { $0 + ($1.average ?? 0) * $1.filled }
            return (filled, filled > 0 ? value / filled : nil, legs.reduce(0) { $0 + $1.fees })
        }
    }

    /// One venue order of a kernel order, as the venue last reported it.
    struct Leg {
        var clientOrderID = ""
        var filled = 0.0, fees = 0.0
        var average: Double?
        var done = false

        mutating func update(_ venue: VenueOrder) {
            filled = venue.filledQuantity
            average = venue.averageFillPrice
            fees = venue.commission
            done = venue.status.isTerminal
        }
    }

    /// How many syncs try a replacement the venue refuses or does not answer before it is dropped.
    static var replaceAttempts: Int { 3 }

    private var tracked: [Int: Tracked] = [:]
    private var notes: [SystemEvent] = []
    /// What the last comparison found, so that a periodic one reports only what changed.
    private var lastDifferences: Set<String> = []

    public init(client: Client, link: VenueLink, symbol: String, identity: OrderIdentity) {
        self.client = client
        self.link = link
        self.symbol = symbol
        self.identity = identity
    }

    /// Orders sent and not final.
    public var openOrders: Int { tracked.values.filter { !$0.lifecycle.status.isTerminal }.count }

    /// Sends what the broker asked for since the last call, asks the venue about every order
    /// not final, and hands the changes to the broker. Returns what an operator should see
    /// (refusals, lookups, reports refused). Throws only when cancelled or the credentials are
    /// refused; a venue that does not answer leaves orders to the next call.
    @discardableResult
    public func sync() async throws -> [SystemEvent] {
        var reports: [VenueLink.Report] = []
        for command in link.takeCommands() {
            switch command {
            case let .submit(kernelID, request):
                var lifecycle = OrderLifecycle(quantity: request.quantity)
                _ = try? lifecycle.apply(.submitted)
                tracked[kernelID] = Tracked(request: request, lifecycle: lifecycle)
                try await place(kernelID, into: &reports)
            case let .cancel(kernelID):
                guard var order = tracked[kernelID], !order.lifecycle.status.isTerminal else { continue }
                order.cancelAsked = true
                tracked[kernelID] = order
                if let venueID = order.venueOrderID { try await attempt("cancel \(order.request.clientOrderID)") { _ = try await client.cancel(venueOrderID: venueID) } }
            case let .replace(kernelID, request):
                guard var order = tracked[kernelID], !order.lifecycle.status.isTerminal else { continue }
                order.replacement = request
                order.replaceTries = 0
                tracked[kernelID] = order
            }
        }
        // A replacement an earlier try may have placed is looked for before its old order's end
        // (`replaced`) is read, so that end is not taken for the kernel order's.
        // Sorted once: the passes below add no order (a finished one stays until `deliver`).
        let ids = tracked.keys.sorted()
        for id in ids where tracked[id]!.replacement != nil && tracked[id]!.replaceTries > 0 {
            try await findReplacement(id, into: &reports)
        }
        for id in ids where !tracked[id]!.lifecycle.status.isTerminal {
            try await refresh(id, into: &reports)
        }
        for id in ids where tracked[id]!.replacement != nil {
            try await sendReplacement(id, into: &reports)
        }
        deliver(reports)
        defer { notes.removeAll() }
        return notes
    }

    // MARK: - Resuming

    /// During a resume's catch-up: takes the broker's commands as sent long ago, without calling
    /// the venue (the journal says what became of them; `sync` asks the venue once caught up).
    public func adoptCommands() {
        for command in link.takeCommands() {
            switch command {
            case let .submit(kernelID, request):
                var lifecycle = OrderLifecycle(quantity: request.quantity)
                _ = try? lifecycle.apply(.submitted)
                tracked[kernelID] = Tracked(request: request, lifecycle: lifecycle)
            case let .cancel(kernelID):
                tracked[kernelID]?.cancelAsked = true
            case let .replace(kernelID, request):
                // Sent long ago or not: the next sync looks for it before sending it.
                tracked[kernelID]?.replacement = request
                tracked[kernelID]?.replaceTries = 1
            }
        }
    }

    /// During a resume's catch-up: hands the broker the fills the journal booked at bar `time`
    /// for the orders tracked, as they were booked then (the venue's state now may sum several
    /// of them, or hold more: `sync` reports what is beyond them).
    public func replayFills(at time: Timestamp, journal: [UUID: [StoredFill]]) {
        var reports: [VenueLink.Report] = []
        for id in tracked.keys.sorted() {
            for fill in journal[identity.order(id)] ?? [] where fill.at == time.nanos {
                report(id, .fill(executionID: "journal/\(fill.id.uuidString)", quantity: abs(fill.quantity), price: fill.price,
                                 commission: fill.commission), into: &reports)
            }
        }
        deliver(reports)
    }

    /// Hands `reports` to the broker (with what their fills add to the position) and forgets
    /// the orders they ended.
    private func deliver(_ reports: [VenueLink.Report]) {
        var signed = 0.0
        for r in reports {
            if case let .fill(_, units, _, _) = r.report, let side = tracked[r.kernelID]?.request.side { signed += side.sign * units }
        }
        tracked = tracked.filter { !$0.value.lifecycle.status.isTerminal }
        link.deliver(reports, signedUnits: signed)
    }

    /// Calls `sync` until no order is in flight or `attempts` calls were made, waiting `interval`
    /// between them: what a stopping or flattening bot does before it books its last fills.
    @discardableResult
    public func settle(attempts: Int = 50, interval: Duration = .milliseconds(100)) async throws -> [SystemEvent] {
        var events = try await sync()
        var n = 1
        while openOrders > 0 && n < attempts {
            try await Task.sleep(for: interval)
            events += try await sync()
            n += 1
        }
        return events
    }

    /// Compares the venue with the books: orders of this session the venue holds and the books
    /// do not are cancelled; orders from outside the session are left alone; a position that
    /// differs from `bookedPosition` is reported. Returns the differences not reported by the
    /// previous comparison.
    public func reconcile(bookedPosition: Double) async throws -> [SystemEvent] {
        var found: [SystemEvent] = []
        let known = Set(tracked.values.flatMap { t in [t.request.clientOrderID] + t.earlier.map(\.clientOrderID) + (t.replacement.map { [$0.clientOrderID] } ?? []) })
        for order in try await client.openOrders(symbol: symbol) where !known.contains(order.clientOrderID) {
            if order.clientOrderID.hasPrefix(identity.clientOrderPrefix) {
                _ = try await client.cancel(venueOrderID: order.venueOrderID)
                found.append(SystemEvent(.warning, "reconcile", "cancelled \(client.venue) order \(order.clientOrderID) (\(order.side) \(order.quantity) \(symbol)): not in the books"))
            } else {
                found.append(SystemEvent(.warning, "reconcile", "\(client.venue) holds order \(order.clientOrderID) on \(symbol) from outside this session: left alone"))
            }
        }
        let held = try await client.position(symbol: symbol)
        // Fills reported since the last bar are the venue's already and the books' at the next.
        // Orders still working may fill between the look at them and the look at the position.
        let books = bookedPosition + link.unbookedUnits
        let working = tracked.values.filter { !$0.lifecycle.status.isTerminal }.reduce(0) { $0 + $1.lifecycle.remaining }
        if abs(held - books) > working + 1e-9 * max(1, abs(held)) {
            found.append(SystemEvent(.error, "reconcile", "\(client.venue) holds \(held) \(symbol), the books \(books)"))
        }
        let messages = Set(found.map(\.message))
        defer { lastDifferences = messages }
        return found.filter { !lastDifferences.contains($0.message) }
    }

    // MARK: - One order

    private func place(_ id: Int, into reports: inout [VenueLink.Report]) async throws {
        guard let order = tracked[id] else { return }
        do {
            let placed = try await client.submit(order.request)
            absorb(id, placed, into: &reports)
        } catch let refusal as VenueOrderRefusal {
            switch refusal {
            case .duplicate:
                // Placed by an earlier try (or an earlier life of this session): take it as is.
                try await refresh(id, into: &reports)
            case let .rejected(reason):
                report(id, .rejected(reason: reason), into: &reports)
            }
        } catch let error as VenueHTTPError {
            if case .unauthorized = error { throw error }
            // No answer, or the venue failed: the order may or may not exist. The next sync asks.
            notes.append(SystemEvent(.warning, "venue", "submit of \(order.request.clientOrderID) unconfirmed: \(error)"))
        }
    }

    /// Asks the venue about order `id`; sends it again when the venue never got it.
    private func refresh(_ id: Int, into reports: inout [VenueLink.Report]) async throws {
        for leg in tracked[id]?.earlier ?? [] where !leg.done {
            if let seen = try await lookUp(leg.clientOrderID) { absorb(id, seen, into: &reports) }
        }
        guard let order = tracked[id], !order.lifecycle.status.isTerminal else { return }
        let seen: VenueOrder?
        do {
            seen = try await client.order(clientOrderID: order.request.clientOrderID)
        } catch let error as VenueHTTPError {
            if case .unauthorized = error { throw error }
            notes.append(SystemEvent(.warning, "venue", "could not look up \(order.request.clientOrderID): \(error)"))
            return
        }
        guard let seen else {
            // Never reached the venue (a crash before the send, a submit lost on the way):
            // send it now, and look at it once more, as after any send.
            if order.venueOrderID == nil {
                try await place(id, into: &reports)
                if let placed = tracked[id], !placed.lifecycle.status.isTerminal,
                   let again = try? await client.order(clientOrderID: placed.request.clientOrderID) {
                                absorb(id, again, into: &reports)
                }
            }
            return
        }
        absorb(id, seen, into: &reports)
        if order.cancelAsked, order.venueOrderID == nil, let venueID = tracked[id]?.venueOrderID, tracked[id]?.lifecycle.status.isTerminal == false {
            try await attempt("cancel \(order.request.clientOrderID)") { _ = try await client.cancel(venueOrderID: venueID) }
        }
    }

    /// Turns the venue's view of one of order `id`'s venue orders into the reports that changed it.
    private func absorb(_ id: Int, _ venue: VenueOrder, into reports: inout [VenueLink.Report]) {
        guard var order = tracked[id] else { return }
        let isCurrent = venue.clientOrderID == order.request.clientOrderID
        if isCurrent {
            order.venueOrderID = venue.venueOrderID
            order.current.update(venue)
        } else if let i = order.earlier.firstIndex(where: { $0.clientOrderID == venue.clientOrderID }) {
            order.earlier[i].update(venue)
        } else {
            return
        }
        let (filled, average, fees) = order.totals
        // The venue's fills are the truth: a replacement that left more to fill than the books
        // thought (a fill in between) is taken as it is.
        if filled > order.lifecycle.quantity { try? order.lifecycle.resize(to: filled) }
        tracked[id] = order
        if isCurrent, order.earlier.isEmpty, venue.status != .new && venue.status != .submitted {
            report(id, .accepted(brokerOrderID: venue.venueOrderID), into: &reports)
        }
        let before = order.lifecycle.filledQuantity
        if filled > before + 1e-12 * max(1, order.lifecycle.quantity), let average {
            let units = filled - before
            // The part of the venue's average the new units account for.
            let price = before == 0 ? average : (average * filled - (order.lifecycle.averageFillPrice ?? 0) * before) / units
            let fee = max(0, fees - order.lifecycle.commission)
            report(id, .fill(executionID: "\(venue.venueOrderID)/\(DecimalText.format(filled))", quantity: units, price: price, commission: fee),
                   into: &reports)
        }
        // Only the current venue order's end is the kernel order's, and not while a replacement
        // is being confirmed (the old order ends `replaced`) or an earlier one may still fill.
        guard isCurrent, venue.status.isTerminal, order.replacement == nil, !order.earlier.contains(where: { !$0.done }) else { return }
        if !order.earlier.isEmpty && tracked[id]?.lifecycle.status.isTerminal == true { return }
        switch venue.status {
        case .cancelled: report(id, .cancelled(reason: venue.reason ?? "cancelled by \(client.venue)"), into: &reports)
        case .rejected: report(id, .rejected(reason: venue.reason ?? "rejected by \(client.venue)"), into: &reports)
        case .expired: report(id, .expired, into: &reports)
        default: break
        }
    }

    // MARK: - Replacing

    /// Looks for the replacement of order `id` under its client order id (placed by a try
    /// whose answer was lost, or before a crash) and takes it when the venue has it.
    private func findReplacement(_ id: Int, into reports: inout [VenueLink.Report]) async throws {
        guard let order = tracked[id], let request = order.replacement, request.clientOrderID != order.request.clientOrderID,
              let placed = try await lookUp(request.clientOrderID) else { return }
        adopt(id, request, placed, into: &reports)
    }

    /// Sends the replacement of order `id`, once the venue has the order.
    private func sendReplacement(_ id: Int, into reports: inout [VenueLink.Report]) async throws {
        guard var order = tracked[id], let request = order.replacement else { return }
        guard !order.lifecycle.status.isTerminal else {
            tracked[id]?.replacement = nil
            notes.append(SystemEvent(.warning, "venue", "replace of \(order.request.clientOrderID) dropped: the order is \(order.lifecycle.status.rawValue)"))
            return
        }
        guard let venueID = order.venueOrderID else { return }
        let why: String
        do {
            let placed = try await client.replace(venueOrderID: venueID, with: request, filled: order.lifecycle.filledQuantity)
            adopt(id, request, placed, into: &reports)
            return
        } catch let refusal as VenueOrderRefusal {
            // A lost answer to a replace that went through is refused when sent again: look.
            if let placed = try await lookUp(request.clientOrderID), request.clientOrderID != order.request.clientOrderID {
                adopt(id, request, placed, into: &reports)
                return
            }
            why = "\(refusal)"
        } catch let error as VenueHTTPError {
            if case .unauthorized = error { throw error }
            why = "\(error)"
        }
        order.replaceTries += 1
        if order.replaceTries >= Self.replaceAttempts {
            order.replacement = nil
            notes.append(SystemEvent(.warning, "venue", "replace of \(order.request.clientOrderID) not done after \(order.replaceTries) tries (\(why)): the order stands as placed"))
        }
        tracked[id] = order
    }

    /// Makes `placed`, the venue's answer to a replace, the order's current venue order.
    private func adopt(_ id: Int, _ request: VenueOrderRequest, _ placed: VenueOrder, into reports: inout [VenueLink.Report]) {
        guard var order = tracked[id] else { return }
        if placed.clientOrderID != order.request.clientOrderID {
            var old = order.current
            old.clientOrderID = order.request.clientOrderID
            order.earlier.append(old)
            order.current = Leg(clientOrderID: placed.clientOrderID)
        }
        order.request = request
        order.request.clientOrderID = placed.clientOrderID
        try? order.lifecycle.resize(to: max(request.quantity, order.lifecycle.filledQuantity))
        order.replacement = nil
        order.replaceTries = 0
        tracked[id] = order
        absorb(id, placed, into: &reports)
    }

    /// The venue's order under `clientOrderID`; nil when it has none or did not answer (noted).
    private func lookUp(_ clientOrderID: String) async throws -> VenueOrder? {
        do { return try await client.order(clientOrderID: clientOrderID) } catch let error as VenueHTTPError {
            if case .unauthorized = error { throw error }
            notes.append(SystemEvent(.warning, "venue", "could not look up \(clientOrderID): \(error)"))
            return nil
        }
    }

    private func report(_ id: Int, _ report: OrderReport, into reports: inout [VenueLink.Report]) {
        guard var order = tracked[id] else { return }
        do {
            guard try order.lifecycle.apply(report) else { return }
        } catch {
            notes.append(SystemEvent(.error, "venue", "\(client.venue) report on \(order.request.clientOrderID) refused: \(error)"))
            return
        }
        tracked[id] = order
        reports.append(VenueLink.Report(kernelID: id, report: report))
    }

    private func attempt(_ what: String, _ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as VenueHTTPError {
            if case .unauthorized = error { throw error }
            notes.append(SystemEvent(.warning, "venue", "\(what) failed: \(error)"))
        }
    }
}
