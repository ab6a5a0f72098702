public import Foundation
public import TraderCore
public import TraderStore
public import TraderEngine

/// What a session needs of the router serving its venue broker; `OrderRouter` is one, for any
/// venue client. An existential at the session, called between bars, never inside one.
public protocol VenueRouting: Sendable {
    func sync() async throws -> [SystemEvent]
    func settle(attempts: Int, interval: Duration) async throws -> [SystemEvent]
    func reconcile(bookedPosition: Double) async throws -> [SystemEvent]
    var openOrders: Int { get async }
    func adoptCommands() async
    func replayFills(at time: Timestamp, journal: [UUID: [StoredFill]]) async
}

extension OrderRouter: VenueRouting {}

/// A session trading at a venue: the link its `VenueBroker` routes through, the ids its orders
/// carry, and the router that talks to the venue.
public struct VenueTrading: Sendable {
    public let link: VenueLink
    public let identity: OrderIdentity
    public let router: any VenueRouting
    /// How many bars apart the session compares the venue with its books (besides at its start).
    public var reconcileEvery: Int

    /// A session's venue trading through `client`: the link, router and ids, made together so
    /// they agree.
    public init<Client: VenueTradingClient>(client: Client, symbol: String, identity: OrderIdentity, reconcileEvery: Int = 100) {
        let link = VenueLink()
        self.link = link
        self.identity = identity
        router = OrderRouter(client: client, link: link, symbol: symbol, identity: identity)
        self.reconcileEvery = reconcileEvery
    }

    /// The settings a venue session runs with: orders go out when the bar that decided them
    /// closes (there is no next open to wait for at a venue), and nothing is closed when the
    /// feed ends (a bot's positions outlive its process).
    public static func settings(_ settings: ExecutionSettings) -> ExecutionSettings {
        var s = settings
        s.fill = .close
        s.endOfRunExit = .none
        return s
    }
}
