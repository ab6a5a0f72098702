import Foundation
import Logging
public import TraderCore
import TraderCache
import TraderStore

/// What `gpt-trader status` reports: the data the locator finds, whether the cache and the
/// database are configured and reachable, what the database holds, and what is running. Every
/// probe has a short timeout and reports its failure instead of throwing, so a status command
/// works best when something is wrong. Secrets never appear (URLs are redacted).
public struct SystemStatus: Sendable {
    public struct DataStatus: Sendable {
        public var searchPaths: [String]
        public var storeDirectory: String
        public var storedSymbols: [String]
        public var csvSymbols: [String]
    }

    public struct ServiceStatus: Sendable {
        /// nil when not configured.
        public var target: String?
        public var reachable: Bool?
        public var detail: String?
    }

    /// A workflow run recorded as running: `stale` when its process (on this host) is gone.
    public struct RunningWorkflow: Sendable {
        public var id: String
        public var workflow: String
        public var started: Timestamp
        public var runner: String
        public var stale: Bool
    }

    public struct RecentRun: Sendable {
        public var id: String
        public var created: Timestamp
        public var strategy: String
        public var symbol: String
        public var returnPct: Double?
        public var trades: Int
    }

    public var data: DataStatus
    public var cache: ServiceStatus
    public var database: ServiceStatus
    /// The database's schema version and the last runs it holds (when reachable).
    public var schemaVersion: Int?
    public var pendingMigrations: Int?
    public var recentRuns: [RecentRun]
    /// Bots running now (none until the live runtime lands) and workflows recorded as running.
    public var runningBots: Int
    public var runningWorkflows: Int { workflows.filter { !$0.stale }.count }
    public var workflows: [RunningWorkflow] = []

    /// Gathers the status of the data, the cache and the run database at `database`.
    public static func gather(locator: MarketDataLocator, cache: CacheSettings, database location: DatabaseLocation) async -> SystemStatus {
        let stored = locator.store.symbols()
        let all = locator.availableSymbols()
        let data = DataStatus(searchPaths: locator.searchPaths, storeDirectory: locator.storeDirectory, storedSymbols: stored,
                              csvSymbols: all.filter { locator.file(for: $0) != nil })
        var status = SystemStatus(data: data, cache: await probe(cache), database: ServiceStatus(target: nil, reachable: nil, detail: nil),
                                  schemaVersion: nil, pendingMigrations: nil, recentRuns: [], runningBots: 0)
        await status.probeDatabase(location)
        return status
    }

    static func probe(_ settings: CacheSettings) async -> ServiceStatus {
        guard settings.enabled else { return ServiceStatus(target: nil, reachable: nil, detail: "off (GPT_TRADER_CACHE=off or --no-cache)") }
        guard let url = settings.redis else { return ServiceStatus(target: nil, reachable: nil, detail: "in-process only (no GPT_TRADER_CACHE_URL)") }
        let target = "redis://\(url.host):\(url.port)/\(url.database)"
        // Quiet logger: an unreachable server is this report's answer, not a warning.
        var logger = Logger(label: "gpt-trader.status")
        logger.logLevel = .critical
        let client = RedisClient(RedisClientConfiguration(url: url, connections: 1, commandTimeout: .seconds(2),
                                                          connectTimeout: .seconds(2)), logger: logger)
        defer { Task { await client.close() } }
        do {
            _ = try await client.ping()
            let keys = try await client.keys(matching: "gpt-trader:c:*").count
            return ServiceStatus(target: target, reachable: true, detail: "\(keys) cached value\(keys == 1 ? "" : "s")")
        } catch {
            return ServiceStatus(target: target, reachable: false, detail: "\(error)")
        }
    }

    mutating func probeDatabase(_ location: DatabaseLocation) async {
        database.target = location.description
        guard location.exists else {
            database.reachable = nil
            database.detail = "no runs saved yet (\(location) does not exist)"
            return
        }
        do {
            // Quiet: an unreachable database is this report's answer, not a warning.
            var logger = Logger(label: "gpt-trader.status")
            logger.logLevel = .critical
            let store = try await location.open(migrate: false, logger: logger)
            defer { Task { try? await store.close() } }
            let migrations = try await store.status()
            schemaVersion = migrations.currentVersion
            pendingMigrations = migrations.pending.count
            if migrations.applied.contains(where: { $0.version == 1 }) {
                recentRuns = try await store.listRuns(RunFilter(limit: 5)).map {
                    RecentRun(id: $0.id.uuidString, created: Timestamp(nanos: $0.createdAt), strategy: $0.strategy, symbol: $0.symbol,
                              returnPct: $0.returnPct, trades: $0.tradeCount)
                }
            }
            if migrations.applied.contains(where: { $0.version == 7 }) {
                workflows = try await store.workflowRuns(idPrefix: nil, limit: 200).filter { !$0.isFinished }.map {
                    RunningWorkflow(id: $0.id.uuidString, workflow: $0.workflow, started: Timestamp(nanos: $0.startedAt), runner: $0.runner,
                                    stale: !Self.isAlive(runner: $0.runner))
                }
            }
            database.reachable = true
            database.detail = "\(migrations.backend.split(separator: " ").first ?? ""), schema v\(migrations.currentVersion)"
                + (migrations.pending.isEmpty ? "" : ", \(migrations.pending.count) migration(s) pending (gpt-trader db migrate)")
        } catch {
            database.reachable = false
            database.detail = "\(error)"
        }
    }

    /// Whether the process `host:pid` still runs; a runner on another host is taken as alive.
    static func isAlive(runner: String) -> Bool {
        guard let colon = runner.lastIndex(of: ":"), let pid = Int32(runner[runner.index(after: colon)...]) else { return true }
        guard String(runner[..<colon]) == ProcessInfo.processInfo.hostName else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
