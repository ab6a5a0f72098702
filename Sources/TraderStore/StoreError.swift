/// What can go wrong in a store, worded for the person running the command. Messages never
/// contain a password: URLs are shown through `DatabaseURL.redacted`.
public enum StoreError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A database URL that cannot be used; `reason` names the part that is wrong.
    case invalidURL(url: String, reason: String)
    /// The server could not be reached or refused the login or the database.
    case connection(target: String, reason: String)
    /// A statement failed; `operation` says what the store was doing.
    case query(operation: String, reason: String)
    /// A row read back did not have the expected shape (`field` names the column).
    case corrupt(field: String, reason: String)
    /// The database has migrations this program does not know (it is newer than the program).
    case schemaTooNew(applied: Int, known: Int)
    /// A value handed to the store is not acceptable (`field` names it).
    case invalid(field: String, reason: String)
    /// No pooled connection became free within the acquire timeout.
    case poolTimeout(waited: Duration, poolSize: Int)
    /// An operation got no answer within the operation timeout (its connection was closed).
    case stalled(after: Duration)
    /// The store was closed.
    case closed

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason): "invalid database URL \(url): \(reason)"
        case .connection(let target, let reason): "cannot connect to \(target): \(reason)"
        case .query(let operation, let reason): "\(operation) failed: \(reason)"
        case .corrupt(let field, let reason): "stored \(field) is unreadable: \(reason)"
        case .schemaTooNew(let applied, let known):
            "the database schema is at version \(applied) but this program knows only up to \(known); upgrade gpt-trader"
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .poolTimeout(let waited, let poolSize):
            "no database connection became free within \(waited) (all \(poolSize) of the pool in use; raise pool_size or acquire_timeout)"
        case .stalled(let after): "the database did not answer within \(after) (operation_timeout)"
        case .closed: "the store is closed"
        }
    }
}
