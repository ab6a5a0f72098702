import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Runs a Hummingbird server of the tests' local venues on a free loopback port until `body`
/// (given the port) returns, then shuts it down gracefully.
func serveLocally<Responder: HTTPResponder, T: Sendable>(
    _ responder: Responder, server: HTTPServerBuilder = .http1(), label: String, _ body: @Sendable (Int) async throws -> T
) async throws -> T where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
    let port = AsyncStream.makeStream(of: Int.self)
    let app = Application(responder: responder, server: server, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { channel in port.continuation.yield(channel.localAddress!.port!) },
                          logger: Logger(label: label))
    let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
    return try await withThrowingTaskGroup(of: T?.self) { tasks in
        tasks.addTask { try await group.run(); return nil }
        var ports = port.stream.makeAsyncIterator()
        guard let p = await ports.next() else { throw CancellationError() }
        defer { Task { await group.triggerGracefulShutdown() } }
        let value = try await body(p)
        await group.triggerGracefulShutdown()
        for try await case let v? in tasks { return v }
        return value
    }
}
