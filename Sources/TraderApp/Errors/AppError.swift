public import TraderData

/// An error that reaches the user, with the process exit code it maps to: mistakes in what was
/// asked (bad options, unknown strategy, malformed data file) exit with 2, failures while doing it
/// with 1, and a run stopped by Ctrl-C with 130 (128 + SIGINT, the shell convention) after
/// printing what it had.
public struct AppError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable { case usage, runtime, interrupted }

    public let message: String
    public let kind: Kind

    public init(_ message: String, kind: Kind) {
        self.message = message
        self.kind = kind
    }

    public init(_ message: String, usage: Bool) {
        self.init(message, kind: usage ? .usage : .runtime)
    }

    public static func usage(_ message: String) -> AppError { AppError(message, kind: .usage) }
    public static func runtime(_ message: String) -> AppError { AppError(message, kind: .runtime) }
    public static func interrupted(_ message: String) -> AppError { AppError(message, kind: .interrupted) }

    public var isUsage: Bool { kind == .usage }

    /// 2 for usage errors, 1 for runtime failures, 130 for an interrupted run.
    public var exitCode: Int32 {
        switch kind {
        case .usage: 2
        case .runtime: 1
        case .interrupted: 130
        }
    }

    public var description: String { message }
}

extension AppError {
    /// The error a user sees for `error`: runtime (exit 1) when the system refused to read or
    /// write, usage (exit 2) for everything the user can fix in the request or the file — a bad
    /// row, a corrupt store file, a folder or device given where a file belongs. `context`
    /// says what was being done ("equity curve") and goes before the data error's own line.
    public init(_ error: DataError, context: String? = nil) {
        let message = context.map { "\($0): \(error.description)" } ?? error.description
        switch error {
        case .unwritable, .unreadable: self.init(message, kind: .runtime)
        default: self.init(message, kind: .usage)
        }
    }
}
