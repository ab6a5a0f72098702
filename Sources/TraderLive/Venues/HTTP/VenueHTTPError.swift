/// Why a venue request failed, after the retries its policy allows.
public enum VenueHTTPError: Error, Equatable, CustomStringConvertible {
    /// The venue answered with an error status; `message` is what its body says.
    case status(venue: String, method: String, path: String, code: Int, message: String)
    /// No answer: the connection failed or the request timed out.
    case unreachable(venue: String, method: String, path: String, reason: String)
    /// The venue refused the credentials (401, 403 on authentication): retrying will not help.
    case unauthorized(venue: String, message: String)

    public var description: String {
        switch self {
        case let .status(venue, method, path, code, message): "\(venue): \(method) \(path) answered \(code): \(message)"
        case let .unreachable(venue, method, path, reason): "\(venue): \(method) \(path) got no answer: \(reason)"
        case let .unauthorized(venue, message): "\(venue): the credentials were refused: \(message)"
        }
    }

    /// The HTTP status, when the venue answered.
    public var statusCode: Int? {
        if case let .status(_, _, _, code, _) = self { return code }
        return nil
    }
}
