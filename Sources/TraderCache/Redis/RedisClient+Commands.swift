/// The commands the cache needs, each on a pooled connection.
extension RedisClient {
    public func send(_ arguments: [String]) async throws -> RESPValue {
        try await withConnection { try await $0.send(arguments) }
    }

    public func ping() async throws -> String? { try await withConnection { try await $0.ping() } }

    public func get(_ key: String) async throws -> [UInt8]? { try await withConnection { try await $0.get(key) } }

    public func set(_ key: String, _ value: [UInt8], expiry: Duration? = nil) async throws {
        try await withConnection { try await $0.set(key, value, expiry: expiry) }
    }

    public func mget(_ keys: [String]) async throws -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        return try await withConnection { try await $0.mget(keys) }
    }

    /// Deletes `keys` without blocking the server on large values (UNLINK frees them in the
    /// background); returns how many existed.
    @discardableResult
    public func unlink(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await withConnection { try await $0.unlink(keys) }
    }

    public func incr(_ key: String) async throws -> Int { try await withConnection { try await $0.incr(key) } }

    @discardableResult
    public func publish(_ channel: String, _ message: String) async throws -> Int {
        try await withConnection { try await $0.publish(channel, message) }
    }

    /// Adds `amounts` to the fields of the hash at `key` in one round trip.
    public func hashIncrement(_ key: String, _ amounts: [(field: String, by: Int)]) async throws {
        let commands = amounts.filter { $0.by != 0 }.map { ["HINCRBY", key, $0.field, String($0.by)] }
        guard !commands.isEmpty else { return }
        let replies = try await withConnection { try await $0.pipeline(commands) }
        for case let .error(message) in replies { throw RESPError.server(message) }
    }

    /// Every field of the hash at `key`, as integers where they parse.
    public func hashIntegers(_ key: String) async throws -> [String: Int] {
        guard case let .array(items?) = try await send(["HGETALL", key]) else { return [:] }
        var out: [String: Int] = [:]
        var i = 0
        while i + 1 < items.count {
            if let field = items[i].string, let value = items[i + 1].string.flatMap({ Int($0) }) { out[field] = value }
            i += 2
        }
        return out
    }

    /// Iterates the keys matching `pattern` with SCAN (never KEYS, which blocks the server), handing
    /// each batch to `body`. SCAN may repeat a key across batches; callers that count dedupe.
    public func scan(match pattern: String, count: Int = 1_000, _ body: ([String]) async throws -> Void) async throws {
        var cursor = "0"
        repeat {
            let reply = try await send(["SCAN", cursor, "MATCH", pattern, "COUNT", String(count)])
            guard case let .array(parts?) = reply, parts.count == 2, let next = parts[0].string,
                  case let .array(keys?) = parts[1] else {
                throw RESPError.malformed("SCAN reply \(reply)")
            }
            let batch = keys.compactMap(\.string)
            if !batch.isEmpty { try await body(batch) }
            cursor = next
        } while cursor != "0"
    }

    /// The keys matching `pattern`, each once.
    public func keys(matching pattern: String) async throws -> Set<String> {
        var out = Set<String>()
        try await scan(match: pattern) { out.formUnion($0) }
        return out
    }

    /// `INFO section` parsed into its `name:value` lines.
    public func info(_ section: String) async throws -> [String: String] {
        guard let text = try await send(["INFO", section]).string else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            out[String(line[..<colon])] = String(line[line.index(after: colon)...])
        }
        return out
    }
}
