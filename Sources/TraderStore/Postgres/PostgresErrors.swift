import Foundation
import PostgresNIO

/// Turns postgres-nio's errors into words, and tells which ones a retry can cure.
enum PostgresErrors {
    /// SQLSTATE classes and codes that mean the connection or the server went away, not that the
    /// statement was wrong: 08 connection exception, 57P01-03 shutdown or starting up.
    private static let transientStates: Set<String> = ["57P01", "57P02", "57P03", "53300"]

    static func isTransient(_ error: any Error) -> Bool {
        // An operation abandoned after `operation_timeout`: its connection was closed, so a retry
        // on another one may succeed.
        if case StoreError.stalled? = error as? StoreError { return true }
        guard let e = error as? PSQLError else { return false }
        switch e.code {
        case .serverClosedConnection, .connectionError, .uncleanShutdown, .clientClosedConnection: return true
        case .server:
            guard let state = e.serverInfo?[.sqlState] else { return false }
            return state.hasPrefix("08") || transientStates.contains(state)
        default: return false
        }
    }

    /// What went wrong, from the server's message and SQLSTATE when there is one; postgres-nio's
    /// own description is deliberately generic. The password is cut out in case a message
    /// quotes it.
    static func reason(_ error: any Error, password: String?) -> String {
        var text: String
        if let e = error as? PSQLError {
            if let info = e.serverInfo, let message = info[.message] {
                text = message
                if let state = info[.sqlState] { text += " (SQLSTATE \(state))" }
                if let detail = info[.detail] { text += ": \(detail)" }
            } else if let underlying = e.underlying {
                text = "\(e.code): \(underlying)"
            } else {
                text = "\(e.code)"
            }
        } else {
            text = "\(error)"
        }
        if let password, !password.isEmpty { text = text.replacingOccurrences(of: password, with: "***") }
        return text
    }
}
