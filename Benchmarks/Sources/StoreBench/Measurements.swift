import Foundation
import TraderStore

/// The measurements of issue 5, in the order `benchmark(_:_:)` runs them on one backend.
enum Measurements {
    /// Bulk write of `points` equity points (one `saveRun`), then the naive baseline — one
    /// INSERT per row through the driver — in the same round, `rounds` times; medians compared.
    static func bulkWrite(_ backend: any BenchBackend, _ options: Options) async throws -> [Figure] {
        let curve = Workload.curve(points: options.points, seed: 42)
        var bulk = Samples(), read = Samples(), autocommit = Samples(), oneTransaction = Samples()
        for round in 1...options.rounds {
            let (written, readBack) = try await saveBig(backend, curve, round: round)
            bulk.add(written)
            read.add(readBack)
            autocommit.add(try await rowByRow(backend, curve, count: options.singleRows, oneTransaction: false, round: round))
            oneTransaction.add(try await rowByRow(backend, curve, count: options.singleRows, oneTransaction: true, round: round))
        }
        let ratio = bulk.median / autocommit.median
        emit(["backend": .text(backend.name), "measurement": "bulk_vs_row_by_row", "rounds": .int(options.rounds),
              "bulk_rows_per_s_median": .int(Int(bulk.median)), "autocommit_rows_per_s_median": .int(Int(autocommit.median)),
              "one_transaction_rows_per_s_median": .int(Int(oneTransaction.median)), "ratio_vs_autocommit": .number(ratio),
              "load_run_rows_per_s_median": .int(Int(read.median)),
              "ratio_vs_one_transaction": .number(bulk.median / oneTransaction.median)])
        let b = backend.name
        return [
            Figure(backend: b, name: "bulk write, \(grouped(options.points)) equity points in one saveRun (median of \(options.rounds))",
                   measured: "\(grouped(Int(bulk.median))) rows/s (\(String(format: "%.2f", Double(options.points) / bulk.median)) s)"),
            Figure(backend: b, name: "baseline: one INSERT per row, autocommit (\(grouped(options.singleRows)) rows)",
                   measured: "\(grouped(Int(autocommit.median))) rows/s"),
            Figure(backend: b, name: "bulk / one-INSERT-per-row autocommit", measured: String(format: "%.1f×", ratio),
                   target: "≥ 10×", met: ratio >= 10),
            Figure(backend: b, name: "  (variant: one INSERT per row inside one transaction)",
                   measured: "\(grouped(Int(oneTransaction.median))) rows/s, bulk \(String(format: "%.1f×", bulk.median / oneTransaction.median))"),
            Figure(backend: b, name: "read back: loadRun of the \(grouped(options.points))-point run (median)",
                   measured: "\(grouped(Int(read.median))) rows/s (\(String(format: "%.2f", Double(options.points) / read.median)) s)"),
        ]
    }

    /// One timed `saveRun` of a run with the whole curve (and 10 trades), checked by reading it
    /// back (also timed: the read side of the same run). Returns equity rows per second written
    /// and read.
    private static func saveBig(_ backend: any BenchBackend, _ curve: EquityCurve, round: Int) async throws -> (Double, Double) {
        let run = Workload.run(round, equity: curve, trades: 10)
        let (saved, seconds) = try await timed { try await backend.store.saveRun(run) }
        guard saved else { throw UsageError("bulk run \(run.id) was not stored") }
        let rate = Double(curve.count) / seconds
        emit(["backend": .text(backend.name), "measurement": "bulk_write", "round": .int(round), "rows": .int(curve.count),
              "trades": .int(run.trades.count), "seconds": .number(seconds), "rows_per_s": .int(Int(rate))])
        let (loaded, readSeconds) = try await timed { try await backend.store.loadRun(id: run.id) }
        guard let loaded, loaded.equity == curve, loaded.trades == run.trades else {
            throw UsageError("bulk run \(run.id) did not read back as written")
        }
        emit(["backend": .text(backend.name), "measurement": "load_run", "round": .int(round), "rows": .int(curve.count),
              "seconds": .number(readSeconds), "rows_per_s": .int(Int(Double(curve.count) / readSeconds))])
        return (rate, Double(curve.count) / readSeconds)
    }

    /// The naive way: a parent run (empty curve, through the store), then `count` single-row
    /// INSERTs into its `equity_points` through the driver. Checked by reading the run back.
    private static func rowByRow(_ backend: any BenchBackend, _ curve: EquityCurve, count: Int, oneTransaction: Bool,
                                 round: Int) async throws -> Double {
        let parent = Workload.run(round, equity: .empty, trades: 0)
        try await backend.store.saveRun(parent)
        let (_, seconds) = try await timed {
            try await backend.insertRowByRow(runID: parent.id, equity: curve, count: count, oneTransaction: oneTransaction)
        }
        guard try await backend.store.loadRun(id: parent.id)?.equity.count == count else {
            throw UsageError("row-by-row run \(parent.id) does not hold \(count) points")
        }
        let rate = Double(count) / seconds
        emit(["backend": .text(backend.name), "measurement": oneTransaction ? "row_by_row_one_transaction" : "row_by_row_autocommit",
              "round": .int(round), "rows": .int(count), "seconds": .number(seconds), "rows_per_s": .int(Int(rate))])
        return rate
    }

    /// Stores `count` small runs (10 points, 2 trades, varied strategy and symbol, distinct
    /// `createdAt`) through `saveRun`, `width` at a time. Returns their ids.
    static func storeSmallRuns(_ backend: any BenchBackend, count: Int, width: Int) async throws -> ([UUID], [Figure]) {
        let curve = Workload.curve(points: 10, seed: 7)
        let runs = (0..<count).map { Workload.run($0, equity: curve, trades: 2) }
        let store = backend.store
        let (_, seconds) = try await timed {
            try await forEachConcurrently(count, width: width) { i in
                guard try await store.saveRun(runs[i]) else { throw UsageError("run \(runs[i].id) was not stored") }
            }
        }
        emit(["backend": .text(backend.name), "measurement": "save_small_runs", "runs": .int(count), "concurrency": .int(width),
              "seconds": .number(seconds), "runs_per_s": .int(Int(Double(count) / seconds))])
        let figure = Figure(backend: backend.name, name: "setup: saveRun of \(grouped(count)) 10-point runs, \(width) at a time",
                            measured: "\(grouped(Int(Double(count) / seconds))) runs/s")
        return (runs.map(\.id), [figure])
    }

    /// `listRuns` with limit 50 over the stored runs: unfiltered, by strategy, by symbol. Each
    /// shape 10 times untimed, then `reps` times timed one after another.
    static func listing(_ backend: any BenchBackend, runs: Int, reps: Int) async throws -> [Figure] {
        let shapes: [(String, RunFilter)] = [
            ("listRuns(limit: 50)", RunFilter(limit: 50)),
            ("listRuns(strategy: \"momentum\", limit: 50)", RunFilter(strategy: "momentum", limit: 50)),
            ("listRuns(symbol: \"SYM07\", limit: 50)", RunFilter(symbol: "SYM07", limit: 50)),
        ]
        var figures: [Figure] = []
        for (label, filter) in shapes {
            let expected = min(filter.limit, Workload.matching(filter, runs: runs))
            for _ in 0..<10 { _ = try await backend.store.listRuns(filter) }
            var samples = Samples()
            for _ in 0..<reps {
                let (page, seconds) = try await timed { try await backend.store.listRuns(filter) }
                try checkPage(page.map(\.createdAt), expected: expected, label: label)
                samples.add(seconds)
            }
            emit(["backend": .text(backend.name), "measurement": "list_runs", "query": .text(label), "stored_runs": .int(runs),
                  "reps": .int(reps), "median_ms": .number(samples.median * 1000), "p99_ms": .number(samples.percentile(0.99) * 1000),
                  "max_ms": .number(samples.max * 1000)])
            figures.append(Figure(backend: backend.name, name: "\(label) over \(grouped(runs)) runs, median / p99",
                                  measured: "\(milliseconds(samples.median)) / \(milliseconds(samples.percentile(0.99)))",
                                  target: "< 20 ms", met: samples.percentile(0.99) < 0.020))
        }
        return figures
    }

    /// A page must hold what the filter matches (up to the limit), newest first, or the timing
    /// measured the wrong thing.
    private static func checkPage(_ createdAt: [Int64], expected: Int, label: String) throws {
        guard createdAt.count == expected, zip(createdAt, createdAt.dropFirst()).allSatisfy({ $0 >= $1 }) else {
            throw UsageError("\(label) returned \(createdAt.count) runs (expected \(expected)) or out of order")
        }
    }

    /// `queries` tasks launched at once, alternately `listRuns(limit: 20)` and `loadRun` of a
    /// small run; per-query latency from the task's start (so it includes waiting for a pooled
    /// connection, or for the SQLite store's one connection). The server's count of the store's
    /// connections is sampled during the burst and read after it.
    static func burst(_ backend: any BenchBackend, ids: [UUID], queries: Int, pool: Int) async throws -> [Figure] {
        let sampler = Task { await peakConnections(backend) }
        let store = backend.store
        let (outcomes, wall) = await timed {
            await withTaskGroup(of: (Double, String?).self) { group in
                for i in 0..<queries {
                    group.addTask { await oneQuery(store, i, id: ids[(i * 7_919) % ids.count]) }
                }
                var outcomes: [(Double, String?)] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
        }
        sampler.cancel()
        let peak = await sampler.value
        let after = try await backend.storeConnections()
        var latency = Samples()
        for (seconds, _) in outcomes { latency.add(seconds) }
        let errors = outcomes.compactMap(\.1)
        if let first = errors.first { FileHandle.standardError.write(Data("store-bench: burst error: \(first)\n".utf8)) }
        emit(["backend": .text(backend.name), "measurement": "concurrent_queries", "queries": .int(outcomes.count),
              "pool": .int(backend.name == "postgres" ? pool : 1), "errors": .int(errors.count),
              "p50_ms": .number(latency.median * 1000), "p90_ms": .number(latency.percentile(0.9) * 1000),
              "p99_ms": .number(latency.percentile(0.99) * 1000), "max_ms": .number(latency.max * 1000),
              "wall_ms": .number(wall * 1000), "queries_per_s": .int(Int(Double(outcomes.count) / wall)),
              "store_connections_peak": peak.map(JSONField.int) ?? .text("n/a"),
              "store_connections_after": after.map(JSONField.int) ?? .text("n/a")])
        let b = backend.name, shape = b == "postgres" ? "pool of \(pool)" : "one connection"
        var figures = [
            Figure(backend: b, name: "\(grouped(queries)) concurrent queries through \(shape): errors",
                   measured: "\(errors.count) of \(outcomes.count)", target: "0", met: errors.isEmpty && outcomes.count == queries),
            Figure(backend: b, name: "  latency p50 / p90 / p99 / max; wall",
                   measured: "\(milliseconds(latency.median)) / \(milliseconds(latency.percentile(0.9))) / "
                       + "\(milliseconds(latency.percentile(0.99))) / \(milliseconds(latency.max)); \(milliseconds(wall))"),
        ]
        if let peak, let after {
            figures.append(Figure(backend: b, name: "  store connections (pg_stat_activity): peak during burst / after",
                                  measured: "\(peak) / \(after)", target: "≤ \(pool)", met: peak <= pool && after <= pool))
        }
        return figures
    }

    private static func oneQuery(_ store: any RunStore, _ i: Int, id: UUID) async -> (Double, String?) {
        let start = ContinuousClock.now
        do {
            if i.isMultiple(of: 2) {
                let page = try await store.listRuns(RunFilter(limit: 20))
                if page.count != 20 { return ((ContinuousClock.now - start).seconds, "listRuns returned \(page.count) runs") }
            } else {
                let run = try await store.loadRun(id: id)
                if run?.equity.count != 10 { return ((ContinuousClock.now - start).seconds, "loadRun(\(id)) missing or short") }
            }
            return ((ContinuousClock.now - start).seconds, nil)
        } catch {
            return ((ContinuousClock.now - start).seconds, "\(error)")
        }
    }

    /// Highest count of the store's connections seen every 20 ms until cancelled; nil without a server.
    private static func peakConnections(_ backend: any BenchBackend) async -> Int? {
        var peak: Int?
        while !Task.isCancelled {
            if let n = try? await backend.storeConnections() { peak = max(peak ?? 0, n) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return peak
    }

    /// Closes the store and checks that its connections are gone (the server may take a moment
    /// to see a client leave, so this waits up to 10 s for zero and says how long it took).
    static func closeAndCheck(_ backend: any BenchBackend) async throws -> [Figure] {
        try await backend.closeStore()
        let start = ContinuousClock.now
        guard var left = try await backend.storeConnections() else { return [] }
        while left > 0, ContinuousClock.now - start < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
            left = try await backend.storeConnections() ?? 0
        }
        let waited = (ContinuousClock.now - start).seconds
        emit(["backend": .text(backend.name), "measurement": "connections_after_close", "store_connections": .int(left),
              "waited_ms": .number(waited * 1000)])
        return [Figure(backend: backend.name, name: "  store connections after close()",
                       measured: "\(left) (after \(milliseconds(waited)))", target: "0", met: left == 0)]
    }
}

/// Runs `body(0..<count)` with at most `width` calls in flight.
func forEachConcurrently(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var next = 0
        while next < min(width, count) {
            let i = next
            group.addTask { try await body(i) }
            next += 1
        }
        while next < count, try await group.next() != nil {
            let i = next
            group.addTask { try await body(i) }
            next += 1
        }
        try await group.waitForAll()   // a child's error surfaces here, not lost
    }
}
