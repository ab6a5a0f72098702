import Foundation
import Testing
@testable import TraderStore
import TraderCore
import TraderEngine

/// One suite, run against every backend: both must behave the same.
@Suite struct RunStoreTests {
    @Test(arguments: Backend.enabled)
    func migrationsAreAppliedAtOpenAndOnlyOnce(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let status = try await store.status()
            #expect(status.applied.map(\.version) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
            #expect(status.pending.isEmpty)
            #expect(status.currentVersion == 10 && MigrationStatus.latestVersion == 10)
            #expect(try await store.migrate().isEmpty)
        }
    }

    @Test(arguments: Backend.enabled)
    func savedRunReadsBackInFull(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            var run = Samples.run(bars: 2_345, trades: 7)
            run.equity.values[100] = .nan   // a missing mark survives as NaN
            #expect(try await store.saveRun(run))
            let loaded = try #require(try await store.loadRun(id: run.id))
            #expect(loaded.summary.id == run.id)
            #expect(loaded.summary.strategy == run.strategy && loaded.summary.symbol == run.symbol)
            #expect(loaded.summary.barCount == 2_345 && loaded.summary.tradeCount == 7)
            #expect(loaded.summary.returnPct == 12.5 && loaded.summary.sharpeRatio == 0.875 && loaded.summary.maxDrawdownPct == -7.25)
            #expect(loaded.configuration == run.configuration)
            #expect(loaded.metrics == run.metrics)   // ∞ and 1/3 exactly
            #expect(loaded.equity.timestamps == run.equity.timestamps)
            #expect(loaded.equity.values.count == run.equity.values.count)
            #expect(loaded.equity.values[100].isNaN)
            for i in run.equity.values.indices where i != 100 {
                if loaded.equity.values[i] != run.equity.values[i] {
                    Issue.record("equity[\(i)] \(loaded.equity.values[i]) != \(run.equity.values[i])")
                    break
                }
            }
            #expect(loaded.trades == run.trades)
            #expect(try await store.loadRun(id: UUID()) == nil)
        }
    }

    @Test(arguments: Backend.enabled)
    func savingTheSameIdAgainStoresNothing(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let run = Samples.run(bars: 300)
            #expect(try await store.saveRun(run))
            var changed = run
            changed.strategy = "momentum"
            #expect(try await store.saveRun(changed) == false)
            let loaded = try #require(try await store.loadRun(id: run.id))
            #expect(loaded.summary.strategy == "sma-crossover")
            #expect(loaded.equity.count == 300)
            #expect(try await store.listRuns(RunFilter()).count == 1)
        }
    }

    @Test(arguments: Backend.enabled)
    func listFiltersAndOrdersNewestFirst(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let specs: [(String, String)] = [("sma", "GOOG"), ("momentum", "GOOG"), ("sma", "AAPL"), ("sma", "GOOG"), ("breakout", "EURUSD")]
            var ids: [UUID] = []
            for (i, (strategy, symbol)) in specs.enumerated() {
                let run = Samples.run(createdAt: 1_000 + Int64(i), strategy: strategy, symbol: symbol, bars: 10, trades: 1)
                ids.append(run.id)
                try await store.saveRun(run)
            }
            #expect(try await store.listRuns(RunFilter()).map(\.id) == ids.reversed())
            #expect(try await store.listRuns(RunFilter(strategy: "sma")).map(\.id) == [ids[3], ids[2], ids[0]])
            #expect(try await store.listRuns(RunFilter(symbol: "GOOG")).map(\.id) == [ids[3], ids[1], ids[0]])
            #expect(try await store.listRuns(RunFilter(strategy: "sma", symbol: "GOOG")).map(\.id) == [ids[3], ids[0]])
            #expect(try await store.listRuns(RunFilter(limit: 2)).map(\.id) == [ids[4], ids[3]])
            #expect(try await store.listRuns(RunFilter(strategy: "none")).isEmpty)
        }
    }

    @Test(arguments: Backend.enabled)
    func deleteRemovesTheRunWithItsCurveAndTrades(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let keep = Samples.run(bars: 50), drop = Samples.run(bars: 60)
            try await store.saveRun(keep)
            try await store.saveRun(drop)
            #expect(try await store.deleteRun(id: drop.id))
            #expect(try await store.loadRun(id: drop.id) == nil)
            #expect(try await store.deleteRun(id: drop.id) == false)
            // The curve and trades went with it: saving the id again starts from nothing.
            #expect(try await store.saveRun(drop))
            #expect(try await store.loadRun(id: drop.id)?.equity.count == 60)
            #expect(try await store.loadRun(id: keep.id)?.equity.count == 50)
        }
    }

    /// The run row and its equity curve are written before the database refuses the trades (a
    /// trigger the test installs): the transaction must take them back.
    @Test(arguments: Backend.enabled)
    func aWriteThatFailsHalfWayLeavesNothing(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            try await backend.refuseTrades(ofSymbol: "REFUSED", in: store)
            var run = Samples.run(symbol: "REFUSED", bars: 30_000, trades: 600)
            await #expect(throws: StoreError.self) { try await store.saveRun(run) }
            #expect(try await store.loadRun(id: run.id) == nil)
            #expect(try await store.listRuns(RunFilter()).isEmpty)
            run.symbol = "GOOG"
            #expect(try await store.saveRun(run))
            #expect(try await store.loadRun(id: run.id)?.trades.count == 600)
        }
    }

    /// Runs saved by schema v7 (raw equity chunks, a row per trade) read back as they were
    /// saved, next to runs saved now.
    @Test(arguments: Backend.enabled)
    func runsSavedTheV7WayStillReadBack(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            var old = Samples.run(bars: 20_000, trades: 40)
            old.equity.values[9_000] = .nan
            try await LegacyRuns.saveAsV7(old, into: store)
            let new = Samples.run(bars: 20_000, trades: 40)
            try await store.saveRun(new)
            for run in [old, new] {
                let loaded = try #require(try await store.loadRun(id: run.id))
                #expect(loaded.equity.timestamps == run.equity.timestamps)
                #expect(loaded.equity.values.map(\.bitPattern) == run.equity.values.map(\.bitPattern))
                #expect(loaded.trades == run.trades)
                let t = run.equity.timestamps
                let range = try #require(try await store.equity(runID: run.id, from: t[8_000], to: t[8_500]))
                #expect(range.timestamps == t.extracting(8_000..<8_501))
            }
        }
    }

    /// What the packing must keep exactly: NaN payloads, −0, infinities, subnormals, repeated
    /// values, and timestamps in any order and spacing; trades with every exit reason.
    @Test(arguments: Backend.enabled)
    func packedCurvesAndTradesReadBackBitForBit(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            var run = Samples.run(bars: 25_000, trades: 300)
            var random = SeededRandom(seed: 42)
            let specials: [Double] = [-0.0, 0, .infinity, -.infinity, .leastNonzeroMagnitude, -.greatestFiniteMagnitude,
                                      Double(bitPattern: 0x7FF8_0000_0000_0001), Double(bitPattern: 0xFFF0_0000_DEAD_BEEF)]
            var timestamps = run.equity.timestamps.array
            for i in 0..<run.equity.count {
                switch i % 7 {
                case 0: run.equity.values[i] = specials[Int.random(in: 0..<specials.count, using: &random)]
                case 1: run.equity.values[i] = run.equity.values[i - 1]   // a flat stretch
                case 2: run.equity.values[i] = Double(bitPattern: random.next())
                default: break
                }
                if i % 1_000 == 999 { timestamps[i] = Int64(bitPattern: random.next()) }   // anything at all
            }
            timestamps[0] = .min
            run.equity.timestamps = BarColumn(timestamps)
            let reasons = ["signal", "stop-loss", "take-profit", "end-of-data", "trailing-stop", String(repeating: "é", count: 32)]
            for i in run.trades.indices {
                run.trades[i].exitReason = reasons[i % reasons.count]
                run.trades[i].size = i.isMultiple(of: 3) ? Double(i) : -Double(bitPattern: random.next() >> 2)
                run.trades[i].pnl = specials[i % specials.count]
                run.trades[i].entryTime = Int64(bitPattern: random.next())
            }
            #expect(try await store.saveRun(run))
            let loaded = try #require(try await store.loadRun(id: run.id))
            #expect(loaded.equity.timestamps == run.equity.timestamps)
            #expect(loaded.equity.values.map(\.bitPattern) == run.equity.values.map(\.bitPattern))
            #expect(loaded.trades.count == run.trades.count)
            for (a, b) in zip(loaded.trades, run.trades) {
                let fields: [KeyPath<StoredTrade, Double>] = [\.size, \.entryPrice, \.exitPrice, \.commission, \.pnl, \.returnPct]
                #expect(fields.allSatisfy { a[keyPath: $0].bitPattern == b[keyPath: $0].bitPattern })
                #expect(a.entryTime == b.entryTime && a.exitTime == b.exitTime && a.exitReason == b.exitReason)
            }
        }
    }

    @Test(arguments: Backend.enabled)
    func invalidRunsAreRefusedNamingTheField(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            var run = Samples.run(bars: 5)
            run.symbol = ""
            await #expect(throws: StoreError.invalid(field: "symbol", reason: "is empty")) { try await store.saveRun(run) }
            run = Samples.run(bars: 5, trades: 3)
            run.trades[2].exitReason = String(repeating: "x", count: 33)
            await #expect(throws: StoreError.invalid(field: "trades[2].exitReason", reason: "must be 1 to 32 characters")) {
                try await store.saveRun(run)
            }
            #expect(try await store.listRuns(RunFilter()).isEmpty)
        }
    }

    @Test(arguments: Backend.enabled)
    func optimizationKeepsItsRanking(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let results: [OptimizationResultRecord] = (0..<1_234).map { (i: Int) -> OptimizationResultRecord in
                let parameters: [String: Double] = ["fast": Double(5 + i % 20), "slow": Double(30 + i)]
                let profitFactor: Double = i == 3 ? .infinity : 1.5
                let metrics: [String: Double] = ["returnPct": Double(i) * 0.5, "profitFactor": profitFactor]
                return OptimizationResultRecord(parameters: parameters, score: 2 - Double(i) / 1_000, metrics: metrics)
            }
            let optimization = NewOptimization(createdAt: 42, strategy: "sma", symbol: "GOOG", objective: "sharpeRatio",
                                               configuration: #"{"method":"grid"}"#, results: results)
            #expect(try await store.saveOptimization(optimization))
            #expect(try await store.saveOptimization(optimization) == false)
            let loaded = try #require(try await store.loadOptimization(id: optimization.id))
            #expect(loaded.results == results)
            #expect(loaded.objective == "sharpeRatio" && loaded.createdAt == 42 && loaded.configuration == optimization.configuration)
            #expect(try await store.loadOptimization(id: UUID()) == nil)
        }
    }

    @Test(arguments: Backend.enabled)
    func eventLogIsAppendOnlyAndIdempotent(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let first = UUID()
            let s1 = try await store.appendEvent(id: first, kind: "order.submitted", payload: #"{"id":1}"#)
            let s2 = try await store.appendEvent(kind: "order.filled", payload: #"{"id":1,"price":101.5}"#)
            let s3 = try await store.appendEvent(kind: "bot.checkpoint", payload: "{}")
            #expect(s1 < s2 && s2 < s3)
            #expect(try await store.appendEvent(id: first, kind: "order.submitted", payload: #"{"id":1}"#) == s1)
            let all = try await store.events(since: 0)
            #expect(all.map(\.kind) == ["order.submitted", "order.filled", "bot.checkpoint"])
            #expect(all.map(\.sequence) == [s1, s2, s3])
            #expect(all[0].id == first && all[1].payload == #"{"id":1,"price":101.5}"#)
            #expect(try await store.events(since: s1).map(\.sequence) == [s2, s3])
            #expect(try await store.events(since: 0, limit: 1).map(\.sequence) == [s1])
        }
    }

    @Test(arguments: Backend.enabled)
    func concurrentWritersAreAllStored(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let runs = (0..<24).map { Samples.run(createdAt: Int64($0), bars: 200 + $0, trades: 3) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for run in runs { group.addTask { try await store.saveRun(run) } }
                for _ in 0..<24 { group.addTask { _ = try await store.appendEvent(kind: "tick", payload: "{}") } }
                try await group.waitForAll()
            }
            let listed = try await store.listRuns(RunFilter(limit: 100))
            #expect(Set(listed.map(\.id)) == Set(runs.map(\.id)))
            for run in runs.prefix(5) { #expect(try await store.loadRun(id: run.id)?.equity.count == run.equity.count) }
            #expect(try await store.events(since: 0).count == 24)
        }
    }

    @Test(arguments: Backend.enabled)
    func optimizationsAreListedFoundByPrefixAndDeleted(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let ids = [UUID(), UUID(), UUID()]
            for (i, id) in ids.enumerated() {
                let r = OptimizationResultRecord(parameters: ["fast": 5], score: 1, metrics: ["returnPct": 3])
                try await store.saveOptimization(NewOptimization(id: id, createdAt: Int64(100 + i), strategy: i == 2 ? "momentum" : "sma",
                                                                 symbol: "GOOG", objective: "max sharpe", configuration: "{}",
                                                                 results: Array(repeating: r, count: i + 1)))
            }
            let all = try await store.listOptimizations(RunFilter())
            #expect(all.map(\.id) == ids.reversed())
            #expect(all.map(\.resultCount) == [3, 2, 1])
            #expect(try await store.listOptimizations(RunFilter(strategy: "momentum")).map(\.id) == [ids[2]])
            let prefix = String(ids[1].uuidString.prefix(9)).lowercased()   // lower case, across the first hyphen
            #expect(try await store.listOptimizations(RunFilter(idPrefix: prefix)).map(\.id) == [ids[1]])
            #expect(try await store.deleteOptimization(id: ids[1]))
            #expect(try await store.deleteOptimization(id: ids[1]) == false)
            #expect(try await store.loadOptimization(id: ids[1]) == nil)
            #expect(try await store.listOptimizations(RunFilter()).count == 2)
        }
    }

    @Test(arguments: Backend.enabled)
    func runsAreFoundByIdPrefix(_ backend: Backend) async throws {
        try await backend.withStore { (store: any RunStore) async throws -> Void in
            let runs = (0..<5).map { Samples.run(createdAt: Int64($0), bars: 10, trades: 0) }
            for run in runs { try await store.saveRun(run) }
            for run in runs {
                #expect(try await store.listRuns(RunFilter(idPrefix: String(run.id.uuidString.prefix(13)))).map(\.id) == [run.id])
            }
            await #expect(throws: StoreError.self) { try await store.listRuns(RunFilter(idPrefix: "%")) }
            await #expect(throws: StoreError.self) { try await store.listRuns(RunFilter(idPrefix: "abc' OR 1=1 --")) }
        }
    }

    /// Curves are stored in chunks: a long curve reads back whole and exactly, and a range
    /// read returns exactly the points in the range, across chunk boundaries.
    @Test(arguments: Backend.enabled)
    func equityReadsBackWholeAndByRange(_ backend: Backend) async throws {
        try await backend.withStore { (store: any Store) async throws -> Void in
            var run = Samples.run(bars: 20_000, trades: 2)   // 3 chunks of 8,192 (EquityChunks.pointsPerChunk)
            run.equity.values[8_191] = .nan
            try await store.saveRun(run)
            let whole = try #require(try await store.equity(runID: run.id, from: nil, to: nil))
            #expect(whole.timestamps == run.equity.timestamps)
            #expect(zip(whole.values, run.equity.values).allSatisfy { $0.bitPattern == $1.bitPattern })
            let t = run.equity.timestamps
            let range = try #require(try await store.equity(runID: run.id, from: t[8_000], to: t[8_500]))
            #expect(range.timestamps == t.extracting(8_000..<8_501) && range.values[191].isNaN)
            #expect(try await store.equity(runID: run.id, from: t[19_999] + 1, to: nil)?.count == 0)
            #expect(try await store.equity(runID: run.id, from: nil, to: t[0])?.timestamps == [t[0]])
            #expect(try await store.equity(runID: UUID(), from: nil, to: nil) == nil)
            #expect(try await store.loadRun(id: run.id)?.equity.timestamps == t)
        }
    }
}


