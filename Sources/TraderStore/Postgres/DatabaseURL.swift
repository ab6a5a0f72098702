public import Foundation
import TraderCore

/// A parsed `postgres://user:password@host:port/database?options` URL.
///
/// The password is kept out of every description and error: `redacted` shows `***` in its place,
/// and that is the only form this type ever prints.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public var username: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    /// Query parameters (`pool_size=10`, `sslmode=disable`, ...), read by `PostgresStoreConfiguration`.
    public var options: [String: String]

    /// - Throws: `StoreError.invalidURL` naming the part that is wrong (scheme, host, port,
    ///   database, user), with the URL shown without its password.
    public init(parsing text: String) throws {
        let shown = Self.redact(text)
        func fail(_ reason: String) -> StoreError { .invalidURL(url: shown, reason: reason) }
        guard let components = URLComponents(string: text) else { throw fail("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw fail("scheme must be postgres:// or postgresql://")
        }
        guard let host = components.host, !host.isEmpty else { throw fail("missing host") }
        if let port = components.port, !(1...65_535).contains(port) { throw fail("port must be 1-65535") }
        guard components.percentEncodedPath.hasPrefix("/"), components.path.count > 1 else { throw fail("missing database name (…/DATABASE)") }
        let database = String(components.path.dropFirst())
        if database.contains("/") { throw fail("database name must not contain '/'") }
        guard let user = components.user, !user.isEmpty else { throw fail("missing user name (postgres://USER@host/db)") }
        var options: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard let value = item.value else { throw fail("option \(item.name) has no value") }
            options[item.name] = value
        }
        self.username = user
        self.password = components.password
        self.host = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.database = database
        self.options = options
    }

    /// The URL with the password replaced by `***`: the only form to log or show.
    public var redacted: String {
        var text = "postgres://\(username)\(password == nil ? "" : ":***")@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        if !options.isEmpty {
            text += "?" + options.keys.sorted().map { "\($0)=\(Redaction.isSecretName($0) ? Redaction.mask : options[$0]!)" }.joined(separator: "&")
        }
        return text
    }

    public var description: String { redacted }

    /// Raw text that may not parse, with its password and secret options masked.
    static func redact(_ text: String) -> String { Redaction.redactURL(text) }
}
