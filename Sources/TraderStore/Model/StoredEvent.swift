public import Foundation

/// One entry of the append-only event log.
public struct StoredEvent: Sendable, Equatable {
    /// Position in the log, assigned by the database, increasing in commit order of appends
    /// from one writer; `events(since:)` pages by it.
    public var sequence: Int64
    /// Client-generated, so a retried append is stored once.
    public var id: UUID
    public var createdAt: Int64
    public var kind: String
    /// Free-form payload, usually JSON text.
    public var payload: String

    public init(sequence: Int64, id: UUID, createdAt: Int64, kind: String, payload: String) {
        self.sequence = sequence
        self.id = id
        self.createdAt = createdAt
        self.kind = kind
        self.payload = payload
    }
}
