public import NIOCore

/// `redis://[:password@]host[:port][/db]` (also `redis://user:password@…`).
public struct RedisURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String?
    public var password: String?
    public var database: Int

    public init(host: String = "127.0.0.1", port: Int = 6379, user: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
    }

    public init(parsing text: String) throws(RESPError) {
        // Errors never quote the URL: it may hold a password. They say which part is wrong.
        guard text.hasPrefix("redis://") else { throw .badURL("must start with redis://") }
        var rest = Substring(text.dropFirst("redis://".count))
        var user: String?, password: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let name = credentials[..<colon]
                user = name.isEmpty ? nil : String(name)
                password = String(credentials[credentials.index(after: colon)...])
            } else {
                password = String(credentials)
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let db = rest[rest.index(after: slash)...]
            if !db.isEmpty {
                guard let n = Int(db), (0...1_000_000).contains(n) else { throw .badURL("database '\(db.prefix(40))' is not a number from 0 to 1000000") }
                database = n
            }
            rest = rest[..<slash]
        }
        var host = String(rest), port = 6379
        if let colon = rest.lastIndex(of: ":") {
            guard let p = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(p) else {
                throw .badURL("port '\(rest[rest.index(after: colon)...].prefix(40))' is not in 1…65535")
            }
            port = p
            host = String(rest[..<colon])
        }
        guard !host.isEmpty else { throw .badURL("no host (redis://HOST:PORT/DB)") }
        self.init(host: host, port: port, user: user, password: password, database: database)
    }
}

extension RedisURL {
    /// The address when `host` is an IPv4 or IPv6 literal (no resolution needed), else nil.
    public var ipAddress: SocketAddress? { try? SocketAddress(ipAddress: host, port: port) }
}
