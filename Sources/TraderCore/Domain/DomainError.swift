/// Why a domain value could not be built. Domain types validate at construction (as in
/// nautilus_trader), so the rest of the code can trust them.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` has a value that is out of range or inconsistent; `reason` says how.
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(field, reason): "invalid \(field): \(reason)"
        }
    }
}
