import Foundation
import TestSupport
import Testing
@testable import TraderStore

/// The pool under load, its acquire timeout, and a real server restart in the middle of writes.
@Suite(.enabled(if: Backend.enabled.contains(.postgres)))
struct PostgresPoolTests {
    /// 1,000 queries at once through 10 connections: none fails, no more than 10 are ever lent,
    /// every one is returned, and the server sees no more than 10 connections of the pool.
    @Test func aThousandConcurrentQueriesThroughTenConnections() async throws {
        var configuration = try Backend.postgresConfiguration()
        configuration.poolSize = 10
        // The waits, not their length, are under test (acquireTimeoutIsOneClearError tests the
        // timeout): on a busy machine 1,000 queries queued behind 10 connections can wait longer
        // than the default 10 s, so the limit here is the operation timeout.
        configuration.acquireTimeout = configuration.operationTimeout
        let store = try await PostgresRunStore.open(configuration)
        do {
            for i in 0..<20 { try await store.saveRun(Samples.run(createdAt: Int64(i), bars: 50, trades: 2)) }
            let failures = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<1_000 {
                    group.addTask {
                        do {
                            if i.isMultiple(of: 2) { return try await store.listRuns(RunFilter(limit: 20)).count == 20 }
                            return try await store.events(since: 0).isEmpty
                        } catch { return false }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 0 : 1) }
            }
            #expect(failures == 0)
            let statistics = await store.poolStatistics()
            #expect(statistics.peakInUse <= 10 && statistics.peakInUse >= 2, "\(statistics)")
            #expect(statistics.acquisitions >= 1_020 && statistics.timeouts == 0, "\(statistics)")
            #expect(statistics.inUse == 0, "every connection was returned: \(statistics)")
            let open = try #require(statistics.open)
            #expect(open >= 1 && open <= 10, "\(statistics)")
            try await store.dropSchema()
            try await store.close()
        } catch {
            try? await store.dropSchema()
            try? await store.close()
            throw error
        }
    }

    /// With its only connection busy, a query gives up after the acquire timeout with an error
    /// that says so, and is counted; the busy query still completes and returns the connection.
    /// (No wall-clock bound is asserted: the sleeper holds the connection for 10 s, over thirty
    /// times the 0.3 s timeout, and the query starts only once the sleeper has the connection.)
    @Test func acquireTimeoutIsOneClearError() async throws {
        var configuration = try Backend.postgresConfiguration()
        configuration.poolSize = 1
        let store = try await PostgresRunStore.open(configuration)
        // Opening (migrations) and the sleeper wait as long as they need for the connection; only
        // the query below has 0.3 s (the store's `acquire_timeout`, given for this one call).
        let busy = Task {
            try await store.withRetry("sleep") {
                try await PostgresRunStore.rows($0, "SELECT pg_sleep(10)", logger: store.logger)
            }
        }
        for _ in 0..<12_000 where store.monitor.statistics.inUse == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(store.monitor.statistics.inUse == 1, "the sleeper holds the only connection")
        do {
            _ = try await store.withRetry("list runs", acquireTimeout: .milliseconds(300)) {
                try await PostgresRunStore.rows($0, "SELECT id FROM runs", logger: store.logger)
            }
            Issue.record("a query got a connection the sleeper holds")
        } catch let error as StoreError {
            guard case .poolTimeout(_, let size) = error else { Issue.record("unexpected \(error)"); return }
            #expect(size == 1 && "\(error)".contains("pool_size"))
        }
        _ = try await busy.value
        let statistics = store.monitor.statistics
        #expect(statistics.timeouts == 1 && statistics.inUse == 0 && statistics.peakInUse == 1, "\(statistics)")
        #expect(try await store.listRuns(RunFilter()).isEmpty, "the connection is back in the pool")
        try await store.dropSchema()
        try await store.close()
    }

    /// `pg_ctl restart` of a server of this test's own while four writers stream runs into it:
    /// every write that returned is stored, none is stored twice or in part, and the store
    /// counted the reconnects.
    @Test func serverRestartDuringWritesLosesNothingAndDuplicatesNothing() async throws {
        let environment = ProcessInfo.processInfo.environment
        let cluster = try #require(environment["GPT_TRADER_TEST_PG_CLUSTER"], "run the tests with scripts/test")
        let services = try #require(environment["GPT_TRADER_TEST_SERVICES_DIR"])
        let directory = services + "/clusters/restart-\(UUID().uuidString.prefix(8))"
        let port = try Self.freePort()
        try await Self.run(cluster, ["create", directory, String(port)])
        do {
            try await restartDuringWrites(port: port, cluster: cluster, directory: directory)
            try await Self.run(cluster, ["stop", directory])
        } catch {
            try? await Self.run(cluster, ["stop", directory])
            throw error
        }
    }

    func restartDuringWrites(port: Int, cluster: String, directory: String) async throws {

        var configuration = try PostgresStoreConfiguration(parsing: "postgres://postgres@127.0.0.1:\(port)/postgres?sslmode=disable")
        configuration.poolSize = 4
        configuration.retryWindow = .seconds(60)
        configuration.operationTimeout = .seconds(5)   // a write lost in the restart is retried after 5 s
        let store = try await PostgresRunStore.open(configuration)
        // Each acknowledged write is announced; the restart waits for the first ones.
        let (acks, announce) = AsyncStream.makeStream(of: Void.self)
        let acknowledged = try await withThrowingTaskGroup(of: [NewRun].self) { group in
            for writer in 0..<Self.writers {
                group.addTask {
                    var done: [NewRun] = []
                    for i in 0..<60 {
                        let run = Samples.run(createdAt: Int64(writer * 1_000 + i), bars: 400 + i, trades: 3)
                        try await store.saveRun(run)   // returned: acknowledged
                        done.append(run)
                        announce.yield()
                    }
                    return done
                }
            }
            group.addTask {
                for await _ in acks.prefix(Self.writers * 5) {}   // writes are flowing
                try await Self.run(cluster, ["restart", directory])
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(acknowledged.count == Self.writers * 60)
        let listed = try await store.listRuns(RunFilter(limit: 1_000))
        #expect(listed.count == Self.writers * 60, "no run lost, none twice")
        #expect(Set(listed.map(\.id)) == Set(acknowledged.map(\.id)))
        let rows = try await store.withRetry("count") {
            try await PostgresRunStore.rows($0, "SELECT (SELECT coalesce(sum(count), 0)::bigint FROM equity_chunks) AS points, (SELECT coalesce(sum(count), 0)::bigint FROM trade_chunks) AS trades",
                                            logger: store.logger)
        }
        let points = try PostgresRunStore.int(try #require(rows.first), "points")
        let trades = try PostgresRunStore.int(try #require(rows.first), "trades")
        #expect(points == Int64(acknowledged.reduce(0) { $0 + $1.equity.count }), "every curve whole, once")
        #expect(trades == Int64(Self.writers * 60 * 3))
        #expect(store.monitor.statistics.reconnects >= 1, "the restart was noticed and retried through")
        try await store.close()
    }

    static let writers = Int(ProcessInfo.processInfo.environment["RESTART_WRITERS"] ?? "") ?? 4

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                guard bind(fd, $0, length) == 0, getsockname(fd, $0, &length) == 0 else { throw POSIXError(.EADDRINUSE) }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs the cluster script to its end without blocking a cooperative thread.
    static func run(_ executable: String, _ arguments: [String]) async throws {
        let output = await (try Subprocess.start(executable, arguments)).output()
        guard output.status == 0 else {
            throw StoreError.query(operation: "\(executable) \(arguments.joined(separator: " "))", reason: output.stdout + output.stderr)
        }
    }
}
