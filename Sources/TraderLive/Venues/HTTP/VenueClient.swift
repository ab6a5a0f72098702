/// A client holding connections to a venue (a pooled `VenueHTTPClient`), closed once when done.
public protocol VenueClient: Sendable {
    /// Closes the client's connections; call once, when done with it.
    func shutdown() async throws
}

extension VenueClient {
    /// Runs `body` with the client and shuts it down however `body` ends.
    public func using<T>(_ body: (Self) async throws -> T) async throws -> T {
        do {
            let value = try await body(self)
            try await shutdown()
            return value
        } catch {
            try? await shutdown()
            throw error
        }
    }
}
