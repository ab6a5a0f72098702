import TraderCore
import ArgumentParser
import Foundation
import TraderApp
import TraderCache

/// `gpt-trader cache stats|clear`: what the shared cache holds and how well it serves, and
/// emptying it.
struct CacheCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Inspect or clear the result cache (Redis when configured).",
        discussion: """
        Backtests, optimizations, bars and indicator series are cached by data version, inputs and
        engine build. In one process the cache is in memory; with --cache-url (or
        GPT_TRADER_CACHE_URL) processes share it through Redis and each adds its hit and miss
        counts there when it exits.
        """,
        subcommands: [CacheStatsCommand.self, CacheClearCommand.self])
}

struct CacheStatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Hits, misses and contents of the shared cache.")

    @OptionGroup var cacheOptions: CacheOptions
    @Option(help: "Output: table or json.") var output: OutputFormat = .table
    @Flag(name: .customLong("no-color"), help: "Disable colors.") var noColor = false

    func run() async throws {
        let settings = try cacheOptions.settings()
        guard settings.enabled, let url = settings.redis, let cache = AppCache(settings) else {
            throw AppError.usage("no shared cache configured: pass --cache-url redis://host:port/db or set GPT_TRADER_CACHE_URL "
                + "(without one, each command caches in its own memory only)")
        }
        let report = await cache.tiered.sharedReport()
        await cache.tiered.shutdown()
        guard report.reachable else { throw AppError.runtime("cannot reach redis at \(url.host):\(url.port)") }
        let c = report.counts
        func n(_ e: CacheMetrics.Event) -> Int { c[e.rawValue] ?? 0 }
        let requests = n(.l1Hit) + n(.l1Miss)
        let served = n(.l1Hit) + n(.l2Hit)
        let hitRate = requests == 0 ? Double.nan : Double(served) / Double(requests) * 100
        switch output {
        case .json:
            print(JSONValue.object([
                ("redis", .string("\(url.host):\(url.port)/\(url.database)")),
                ("counts", .object(CacheMetrics.Event.allCases.map { ($0.rawValue, .integer(n($0))) })),
                ("hit_rate_pct", .number(hitRate)),
                ("namespaces", .array(report.namespaces.map { .object([("namespace", .string($0.namespace)), ("keys", .integer($0.keys)),
                                                                      ("bytes", .integer($0.bytes))]) })),
                ("server_memory_bytes", report.serverMemory.map { .integer($0) } ?? .null),
            ]).serialized())
        case .table, .quiet:
            let terminal = Terminal(noColorFlag: noColor)
            print(terminal.paint("Redis \(url.host):\(url.port)/\(url.database)", .bold)
                + (report.serverMemory.map { " — server memory \(byteSize($0))" } ?? ""))
            var counts = TextTable(headers: ["Requests", "L1 hits", "L2 hits", "Loads", "Hit rate [%]", "Evictions", "Expirations",
                                             "Corrupt", "L2 errors", "Invalidations"],
                                   alignments: Array(repeating: .right, count: 10))
            counts.rows.append([String(requests), String(n(.l1Hit)), String(n(.l2Hit)), String(n(.load)),
                                hitRate.isNaN ? "--" : String(format: "%.1f", hitRate), String(n(.l1Eviction)), String(n(.l1Expiration)),
                                String(n(.corrupt)), String(n(.l2Error)), String(n(.invalidation))])
            print(counts.render(headerStyle: { terminal.paint($0, .bold) }))
            print("")
            var contents = TextTable(headers: ["Namespace", "Keys", "Bytes"], alignments: [.left, .right, .right])
            for u in report.namespaces { contents.rows.append([u.namespace, String(u.keys), byteSize(u.bytes)]) }
            if report.namespaces.isEmpty { contents.rows.append(["(empty)", "0", "0"]) }
            print(contents.render(headerStyle: { terminal.paint($0, .bold) }))
        }
    }
}

struct CacheClearCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Remove cached values (all, or those under a prefix such as backtest: or bars:).")

    @OptionGroup var cacheOptions: CacheOptions
    @Option(help: ArgumentHelp("Only keys starting with this (namespace:version:…, e.g. backtest: or bars:v1:).", valueName: "prefix"))
    var prefix: String?

    func run() async throws {
        let settings = try cacheOptions.settings()
        guard settings.enabled, let url = settings.redis, let cache = AppCache(settings) else {
            throw AppError.usage("no shared cache configured: pass --cache-url redis://host:port/db or set GPT_TRADER_CACHE_URL")
        }
        let before = await cache.tiered.sharedReport()
        let done = if let prefix { await cache.tiered.invalidate(prefix: prefix) } else { await cache.tiered.clear() }
        await cache.tiered.shutdown()
        guard done, before.reachable else { throw AppError.runtime("cannot reach redis at \(url.host):\(url.port); nothing was cleared") }
        let matching = before.namespaces.filter { prefix == nil || ($0.namespace + ":").hasPrefix(prefix!) || prefix!.hasPrefix($0.namespace + ":") }
        let keys = matching.reduce(0) { $0 + $1.keys }
        print("cleared \(prefix.map { "'\($0)*'" } ?? "every cached value") (\(keys) key\(keys == 1 ? "" : "s") of \(matching.count) namespace\(matching.count == 1 ? "" : "s") before) in redis \(url.host):\(url.port)/\(url.database)")
    }
}
