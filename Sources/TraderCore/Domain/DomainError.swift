/// Why a domain value could not be built. Domain types validate at construction (as in
/// nautilus_trader), so the rest of the code can trust them.
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `field` has a value that is out of range or inconsistent; `reason` says how.
    case invalid(field: String, reason: String)

    /// The field the error names (a setting, an option, a column).
    public var field: String {
        switch self { case let .invalid(field, _): field }
    }

    /// What is wrong with it.
    public var reason: String {
        switch self { case let .invalid(_, reason): reason }
    }

    public var description: String {
        switch self {
        case let .invalid(field, reason): "invalid \(field): \(reason)"
        }
    }
}
