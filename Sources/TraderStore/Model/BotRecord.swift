public import Foundation

/// What the store knows of a bot: enough for `gpt-trader bots` in another terminal to list it,
/// stop it and resume it.
public struct BotRecord: Sendable, Equatable {
    public var id: String
    /// `paper` or `live`.
    public var mode: String
    public var status: BotStatus
    /// The process running it, while it runs (on `host`).
    public var pid: Int32?
    public var host: String
    /// The command line that runs it (without the program name): `bots resume` runs it again.
    public var arguments: [String]
    /// Nanoseconds since 1970.
    public var startedAt: Int64
    /// The last heartbeat (nanoseconds since 1970): a running bot writes one at least every second.
    public var updatedAt: Int64
    /// A stop asked for from outside, not yet carried out.
    public var stopRequest: BotStopRequest?
    /// Bars traded so far.
    public var bars: Int
    /// Equity at the last bar.
    public var equity: Double?
    /// The last status's explanation (why it halted, how it ended).
    public var detail: String

    public init(id: String, mode: String, status: BotStatus, pid: Int32?, host: String, arguments: [String], startedAt: Int64,
                updatedAt: Int64, stopRequest: BotStopRequest? = nil, bars: Int = 0, equity: Double? = nil, detail: String = "") {
        self.id = id
        self.mode = mode
        self.status = status
        self.pid = pid
        self.host = host
        self.arguments = arguments
        self.startedAt = startedAt
        self.updatedAt = updatedAt
        self.stopRequest = stopRequest
        self.bars = bars
        self.equity = equity
        self.detail = detail
    }
}

/// Where a bot is.
public enum BotStatus: String, Sendable, CaseIterable {
    case running
    /// Asked to stop; finishing its last bar.
    case stopping
    /// Ended on purpose: its feed ended, or a stop request, a signal.
    case stopped
    /// A risk guard halted it.
    case halted
    /// Ended by an error (the detail says which).
    case failed
}

/// A stop asked for with `gpt-trader bots stop`.
public enum BotStopRequest: String, Sendable {
    /// Stop taking bars; open positions stay open.
    case stop
    /// Stop and close every open position first.
    case flatten
}

/// What a trading session writes after a bar, in one transaction: order states, fills, the whole
/// book of positions, a checkpoint. Every part is idempotent (orders move only forward, fills and
/// checkpoints are stored once by id), so a session that re-derives its history after a crash can
/// write it again without duplicating anything.
public struct JournalEntry: Sendable {
    public var botID: String
    public var orders: [(order: StoredOrder, detail: String)]
    public var fills: [StoredFill]
    /// The bot's whole book after the bar, when it changed (nil: leave the stored one).
    public var positions: [StoredPosition]?
    public var checkpoint: (id: UUID, state: String)?
    /// A paper session's order events, packed into one chunk, and its open orders as rows.
    public var packed: PackedOrderEvents?

    public init(botID: String, orders: [(order: StoredOrder, detail: String)] = [], fills: [StoredFill] = [],
                positions: [StoredPosition]? = nil, checkpoint: (id: UUID, state: String)? = nil, packed: PackedOrderEvents? = nil) {
        self.botID = botID
        self.orders = orders
        self.fills = fills
        self.positions = positions
        self.checkpoint = checkpoint
        self.packed = packed
    }

    public var isEmpty: Bool { orders.isEmpty && fills.isEmpty && positions == nil && checkpoint == nil && packed == nil }

    /// The newest state of each order in `orders` (in the order of first appearance): what the
    /// orders table gets in one multi-row upsert, which may touch a row only once. Every state
    /// still goes to the order's history.
    var latestOrders: [StoredOrder] {
        var index: [UUID: Int] = [:]
        var latest: [StoredOrder] = []
        for (order, _) in orders {
            if let i = index[order.id] {
                if order.updatedAt >= latest[i].updatedAt { latest[i] = order }
            } else {
                index[order.id] = latest.count
                latest.append(order)
            }
        }
        return latest
    }
}
