public import Foundation
public import TraderCore
public import TraderEngine
public import TraderStore

/// Writes a session's orders, fills, positions and checkpoints to the store, and carries the
/// bot's heartbeat (which brings back stop requests from `gpt-trader bots stop`).
///
/// The kernel's events become `OrderEvent`s, numbered in the session's order, whose records'
/// ids depend only on the bot and the session's history (an order's UUID from the bot and the
/// kernel's order number, a fill's from its place among the session's fills). A session resumed
/// after a crash re-derives the same events while it catches up.
///
/// A paper session's journal is `packed`: each write packs its events into one chunk (a replay
/// makes a hundred thousand order states a second, which as rows cost SQLite more than the whole
/// session), with the orders still open kept as rows too. A resumed one skips the events already
/// stored (`JournalPosition`). A venue session's journal writes rows (`StoredOrder` with its
/// state, `StoredFill`): the store keeps each once, so what a crash interrupted is completed and
/// nothing is doubled.
///
/// Writes are grouped: pending records go to the store in one transaction (`JournalEntry`) at
/// most every `flushInterval` or every `flushRecords` records, and when the session ends. With
/// the paper broker nothing leaves the process between two writes, so a crash loses only what
/// the next start re-derives.
public struct SessionJournal: Sendable {
    public let store: any TradingStateStore & BotRegistry
    public let bot: String
    public let symbol: String
    /// Whether events are packed (a paper session) or written as rows (a venue session).
    public let packed: Bool
    public var flushInterval: Duration = .milliseconds(50)
    public var flushRecords = 2_048
    public var heartbeatInterval: Duration = .milliseconds(200)

    /// Events not written yet; the session's number of the first, and the fill number of its
    /// first execution.
    private var events: [OrderEvent] = []
    private var pendingFirst = 0
    private var pendingFirstFill = 0
    /// Events derived in this session so far, those a resume found stored included.
    private var eventCount = 0
    /// Fills of the session so far (their ids follow it).
    public private(set) var fillCount = 0
    /// Events already stored when the session resumed: re-derived, not written again.
    private var storedEvents = 0
    private var positionsChanged = false
    /// Orders not yet terminal, in their newest state, by the kernel's order number.
    private var open: [Int: OrderEvent] = [:]
    /// Venue sessions: orders filled so far, by the kernel's order number: a venue's next part
    /// of a fill adds to its order's record instead of replacing it.
    private var filledInPart: [Int: OrderEvent] = [:]
    /// Packed: open orders changed since the last write, and those the store has rows of.
    private var touched: Set<Int> = []
    private var rowed: Set<Int> = []
    private var lastFlush = ContinuousClock.now
    private var lastHeartbeat = ContinuousClock.now
    /// The ids of the session's records (and client order ids at a venue).
    public let identity: OrderIdentity

    /// The session's start (nanoseconds since 1970, the bot record's `startedAt`): part of every
    /// id, so a bot started afresh never collides with the records of its earlier sessions.
    public let session: Int64

    public init(store: any TradingStateStore & BotRegistry, bot: String, symbol: String, session: Int64, packed: Bool = true) {
        self.store = store
        self.bot = bot
        self.symbol = symbol
        self.session = session
        self.packed = packed
        identity = OrderIdentity(bot: bot, session: session)
    }

    /// Reads where the session's packed journal stands, before a resumed session catches up:
    /// the events it re-derives that are stored are not written again.
    public mutating func resume() async throws {
        guard packed else { return }
        let position = try await store.journalPosition(botID: bot, session: session)
        storedEvents = position.events
        rowed = Set(position.openOrders)
    }

    /// Takes the kernel's events of `bar`; `account` is the account after it, `unitsLeft` the
    /// units the broker's working orders have left (an order filled in part is among them).
    public mutating func note(_ events: [TradingEvent], bar: Bar, account: AccountSnapshot, unitsLeft: [Int: Double] = [:]) {
        let at = bar.timestamp.nanos
        for event in events {
            switch event {
            case let .orderSubmitted(order):
                let e = OrderEvent(kind: .accepted, number: order.id, side: order.side, type: order.type.name,
                                   quantity: Self.units(of: order, account: account, price: bar.close), limitPrice: order.type.limitPrice,
                                   stopPrice: order.type.stopPrice, createdAt: at, at: at)
                open[order.id] = e
                record(e)
            case let .orderReplaced(id, order):
                guard var e = open[id] else { break }
                e.kind = .replaced
                e.type = order.type.name
                e.limitPrice = order.type.limitPrice
                e.stopPrice = order.type.stopPrice
                if case let .units(u) = order.quantity { e.quantity = u }
                e.at = max(e.at, at)
                e.reason = ""
                e.execution = nil
                open[id] = e
                record(e)
            case let .filled(fill):
                // Fills without a submitted order (closing everything at the end or on a stop)
                // get an order of their own, so every fill in the store has one.
                // A later part of an order already filled in part (venues fill in parts) adds to it.
                var e = open[fill.orderId] ?? filledInPart[fill.orderId] ?? OrderEvent(
                    kind: .accepted, number: fill.orderId, side: fill.side, type: "market", quantity: fill.quantity, createdAt: at, at: at)
                let total = e.filledQuantity + fill.quantity
                e.averageFillPrice = ((e.averageFillPrice ?? 0) * e.filledQuantity + fill.price * fill.quantity) / total
                e.filledQuantity = total
                // The broker sizes fraction orders at the fill: the order is what filled, and
                // what it has left when it filled in part.
                let left = unitsLeft[fill.orderId] ?? 0
                e.quantity = total + left
                e.kind = left > 0 ? .partiallyFilled : .filled
                e.reason = fill.reason.rawValue
                e.at = max(e.at + 1, at)
                e.execution = OrderEvent.Execution(at: fill.timestamp.nanos, quantity: fill.signedQuantity, price: fill.price,
                                                   commission: fill.commission)
                open[fill.orderId] = left > 0 ? e : nil
                if !packed { filledInPart[fill.orderId] = e }
                record(e)
                positionsChanged = true
            case let .orderCancelled(id, reason):
                close(id, .cancelled, reason, at: at)
            case let .orderRejected(id, reason):
                close(id, .rejected, reason, at: at)
            case let .riskRefused(id, refusal):
                close(id, .rejected, "risk: \(refusal.reason)", at: at)
            case .riskResized, .tradeClosed, .bar, .signal:
                break
            }
        }
        lastAccount = account
        lastTime = at
    }

    private var lastAccount: AccountSnapshot?
    private var lastTime: Int64 = 0

    /// Numbers `e` in the session and keeps it to write, unless a resume found it stored.
    private mutating func record(_ e: OrderEvent) {
        if eventCount >= storedEvents {
            if events.isEmpty {
                pendingFirst = eventCount
                pendingFirstFill = fillCount
            }
            events.append(e)
        }
        eventCount += 1
        if e.execution != nil { fillCount += 1 }
        if packed { touched.insert(e.number) }
    }

    /// Marks every order still open as cancelled (the broker dropped them: closing everything
    /// cancels what was working).
    public mutating func cancelOpenOrders(reason: String, at time: Timestamp) {
        for id in open.keys.sorted() { close(id, .cancelled, reason, at: time.nanos) }
    }

    private mutating func close(_ id: Int, _ kind: OrderEvent.Kind, _ reason: String, at: Int64) {
        guard var e = open.removeValue(forKey: id) else { return }
        e.kind = kind
        e.reason = reason
        e.execution = nil
        e.at = max(e.at + 1, at)
        record(e)
    }

    /// Whether records wait and the interval (or their number) says to write them.
    public var isDue: Bool {
        let pending = events.count
        return pending >= flushRecords || ((pending > 0 || !touched.isEmpty) && ContinuousClock.now - lastFlush >= flushInterval)
    }

    /// Whether the heartbeat interval has passed.
    public var heartbeatIsDue: Bool { ContinuousClock.now - lastHeartbeat >= heartbeatInterval }

    private var ticks = 0
    /// Bars between two looks at the clock: 64 while bars come fast (a replay runs a million a
    /// second), 1 once they come more than 100 µs apart (paced replays, live feeds), so a
    /// heartbeat, and with it a stop request, is never late by more than a bar.
    private var stride = 1
    private var lastLook = ContinuousClock.now

    /// Called once per bar: whether to look at `isDue` and `heartbeatIsDue` now (or at once when
    /// many records wait).
    public mutating func tick() -> Bool {
        ticks &+= 1
        guard ticks >= stride || events.count >= flushRecords else { return false }
        let now = ContinuousClock.now
        // Bars faster than 100 µs apart since the last look: look every 64 bars; else every bar.
        stride = (now - lastLook) / max(ticks, 1) < .microseconds(100) ? 64 : 1
        lastLook = now
        ticks = 0
        return true
    }

    /// The entry being written, if any: writes overlap the session's next bars (one at a time,
    /// in order). A crash loses at most what it carries, which a resume re-derives.
    private var inFlight: Task<Void, any Error>?
    /// What `inFlight` writes (events, open and closed orders, whether positions): taken back
    /// when the write fails, so the next one carries it (a packed journal must not skip events:
    /// a resume goes on after the last stored one).
    private var inFlightBatch: (batch: PackedOrderEvents, positions: Bool)?
    private var flushes = 0

    /// Waits until everything handed over is written; throws the first write's error, and then
    /// keeps what that write carried for the next.
    public mutating func drain() async throws {
        guard let task = inFlight else { return }
        let carried = inFlightBatch
        inFlight = nil
        inFlightBatch = nil
        do {
            try await task.value
        } catch {
            if let carried { takeBack(carried.batch, positions: carried.positions) }
            throw error
        }
    }

    /// Puts what a failed write carried back in front of what was noted since.
    private mutating func takeBack(_ back: PackedOrderEvents, positions: Bool) {
        if positions { positionsChanged = true }
        if !back.events.isEmpty {
            events = back.events + events
            pendingFirst = back.first
            pendingFirstFill = back.firstFill
        }
        touched.formUnion(back.open.map(\.number))
        rowed.formUnion(back.closed)
    }

    /// Hands what is pending, with a checkpoint of `state` (what a resume needs), to the store,
    /// after the previous entry is written; returns without waiting for this one (`drain`).
    public mutating func flush(checkpoint state: SessionCheckpoint) async throws {
        try await drain()
        var entry = JournalEntry(botID: bot)
        var batch = PackedOrderEvents(session: session, symbol: symbol, first: pendingFirst, firstFill: pendingFirstFill, events: events)
        if packed {
            batch.open = touched.compactMap { open[$0] }.sorted { $0.number < $1.number }
            batch.closed = rowed.filter { open[$0] == nil }.sorted()
            if !events.isEmpty || !batch.open.isEmpty || !batch.closed.isEmpty { entry.packed = batch }
            rowed = Set(open.keys)
            touched.removeAll(keepingCapacity: true)
        } else {
            entry.orders = events.map { ($0.order(identity, symbol: symbol), $0.detail) }
            entry.fills = OrderEvent.fills(events, identity, symbol: symbol, firstFill: pendingFirstFill)
        }
        if positionsChanged, let account = lastAccount {
            entry.positions = account.positions.filter { $0.units != 0 }.map {
                StoredPosition(symbol: symbol, quantity: $0.units, averagePrice: $0.averagePrice,
                               realizedPnL: account.cash - state.initialCapital, updatedAt: lastTime)
            }
        }
        var state = state
        state.session = session
        entry.checkpoint = (checkpointID(state.bars), state.json)
        let store = self.store, bot = self.bot
        flushes += 1
        let prune = flushes % 256 == 0
        inFlightBatch = (batch, entry.positions != nil)
        inFlight = Task {
            try await store.recordJournal(entry)
            // Only the newest checkpoints matter to a resume.
            if prune { _ = try await store.pruneCheckpoints(botID: bot, keeping: 16) }
        }
        events.removeAll(keepingCapacity: true)
        positionsChanged = false
        lastFlush = .now
    }

    /// Reports progress when the heartbeat interval has passed (or `force`); returns a stop
    /// request from `bots stop`, if one is waiting.
    public mutating func heartbeat(status: BotStatus, bars: Int, equity: Double, detail: String = "", force: Bool = false) async throws -> BotStopRequest? {
        guard force || heartbeatIsDue else { return nil }
        lastHeartbeat = .now
        return try await store.heartbeat(botID: bot, status: status, bars: bars, equity: equity, detail: detail)
    }

    /// The fills this session stored, by order: what a resumed venue session books again while
    /// it catches up, as they were booked.
    public func storedFills() async throws -> [UUID: [StoredFill]] {
        var out: [UUID: [StoredFill]] = [:]
        for fill in try await store.sessionRecords(botID: bot, session: session).fills { out[fill.orderID, default: []].append(fill) }
        return out
    }

    func checkpointID(_ bars: Int) -> UUID { identity.checkpoint(bars) }

    /// The units an order asks for at submission: its units, the position it closes, or its
    /// fraction of equity at `price` (what a venue would be sent). Never zero: the store keeps
    /// only positive quantities, and a fill replaces the estimate.
    static func units(of order: Order, account: AccountSnapshot, price: Double) -> Double {
        let held = abs(account.positions.reduce(0) { $0 + $1.units })
        switch order.quantity {
        case let .units(u): return u
        case .entirePosition: return max(held, 1e-9)
        case let .equityFraction(f): return price > 0 ? max(f * account.equity / price, 1e-9) : 1e-9
        }
    }
}

/// Where a session was when it last wrote to the store: what resuming it needs.
public struct SessionCheckpoint: Sendable, Equatable {
    /// The session it belongs to (`SessionJournal.session`).
    public var session: Int64
    /// Bars traded.
    public var bars: Int
    /// The time of the last of them (nanoseconds since 1970).
    public var lastTime: Int64
    public var equity: Double
    public var fills: Int
    public var initialCapital: Double
    /// Bar counts after which every position was closed on request (`bots stop --flatten`): not
    /// in the bars, so a resume applies them again at the same points.
    public var flattenedAfter: [Int]
    /// The bar count after which a guard halted new entries, and why (a resume halts there too).
    public var haltedAfter: Int?
    public var haltReason: String?

    public init(session: Int64 = 0, bars: Int, lastTime: Int64, equity: Double, fills: Int, initialCapital: Double,
                flattenedAfter: [Int] = [], haltedAfter: Int? = nil, haltReason: String? = nil) {
        self.session = session
        self.bars = bars
        self.lastTime = lastTime
        self.equity = equity
        self.fills = fills
        self.initialCapital = initialCapital
        self.flattenedAfter = flattenedAfter
        self.haltedAfter = haltedAfter
        self.haltReason = haltReason
    }

    public var json: String {
        let e = equity.isFinite ? "\(equity)" : "null"
        let flattened = flattenedAfter.map(String.init).joined(separator: ", ")
        var text = "{\"session\": \(session), \"bars\": \(bars), \"last_time\": \(lastTime), \"equity\": \(e), \"fills\": \(fills), "
            + "\"initial_capital\": \(initialCapital), \"flattened_after\": [\(flattened)]"
        if let haltedAfter {
            text += ", \"halted_after\": \(haltedAfter), \"halt_reason\": \(JSONValue.string(haltReason ?? "").serialized(indent: nil))"
        }
        return text + "}"
    }

    /// Reads `json`; nil when it is not a checkpoint of this form.
    public init?(json text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let session = (object["session"] as? NSNumber)?.int64Value, let bars = (object["bars"] as? NSNumber)?.intValue,
              let last = (object["last_time"] as? NSNumber)?.int64Value, let fills = (object["fills"] as? NSNumber)?.intValue,
              let capital = (object["initial_capital"] as? NSNumber)?.doubleValue
        else { return nil }
        self.init(session: session, bars: bars, lastTime: last, equity: (object["equity"] as? NSNumber)?.doubleValue ?? .nan, fills: fills,
                  initialCapital: capital, flattenedAfter: (object["flattened_after"] as? [NSNumber])?.map(\.intValue) ?? [],
                  haltedAfter: (object["halted_after"] as? NSNumber)?.intValue, haltReason: object["halt_reason"] as? String)
    }
}

extension OrderType {
    /// The limit price, for orders that have one.
    var limitPrice: Double? {
        switch self {
        case let .limit(p), let .takeProfit(p): p
        case let .stopLimit(_, l): l
        default: nil
        }
    }

    /// The stop price, for orders that have one.
    var stopPrice: Double? {
        switch self {
        case let .stop(p): p
        case let .stopLimit(s, _): s
        default: nil
        }
    }
}

