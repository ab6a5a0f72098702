/// An error that reaches the user. `isUsage` separates mistakes in what was asked (bad options,
/// unknown strategy, malformed data file: exit code 2) from failures while doing it (exit code 1).
public struct AppError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public let isUsage: Bool

    public init(_ message: String, usage: Bool) {
        self.message = message
        self.isUsage = usage
    }

    public static func usage(_ message: String) -> AppError { AppError(message, usage: true) }
    public static func runtime(_ message: String) -> AppError { AppError(message, usage: false) }

    public var description: String { message }
}
