public import Logging
public import ServiceLifecycle
import Synchronization
public import TraderLive

/// One bot of `gpt-trader run` as a service of a swift-service-lifecycle `ServiceGroup`: it runs
/// its session until the feed ends, and a graceful shutdown of the group (SIGINT, SIGTERM) stops
/// it the way `bots stop` does, after which it reports like any session.
public final class BotRunService: Service, Sendable {
    public let definition: BotDefinition
    let service: PaperService
    let tracking: PaperService.Tracking?
    let bus: EventBus?
    private let outcome = Mutex<Result<PaperSession.Outcome, AppError>?>(nil)

    public init(definition: BotDefinition, service: PaperService = PaperService(), tracking: PaperService.Tracking?, bus: EventBus?) {
        self.definition = definition
        self.service = service
        self.tracking = tracking
        self.bus = bus
    }

    /// How it ended: nil while it runs.
    public var result: Result<PaperSession.Outcome, AppError>? { outcome.withLock { $0 } }

    public func run() async throws {
        let request = definition.request
        do {
            // Graceful shutdown cancels the session's task: its feed stops delivering, and the
            // session closes its books and reports.
            let value = try await cancelWhenGracefulShutdown {
                try await self.service.run(request, bus: self.bus, tracking: self.tracking)
            }
            outcome.withLock { $0 = .success(value) }
        } catch let e as AppError {
            outcome.withLock { $0 = .failure(e) }
            throw e
        } catch {
            let e = AppError.runtime("bot \(request.bot): \(error)")
            outcome.withLock { $0 = .failure(e) }
            throw e
        }
    }

    /// A group running `bots` side by side: one bot's end or failure leaves the others running.
    public static func group(_ bots: [BotRunService], logger: Logger) -> ServiceGroup {
        ServiceGroup(configuration: ServiceGroupConfiguration(
            services: bots.map {
                .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore, serviceName: $0.definition.request.bot)
            },
            logger: logger))
    }
}
