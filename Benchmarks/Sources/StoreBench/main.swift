// Speed of the run store (TraderStore, issue 5) on each backend given, through the store's own
// API, against the naive way in the same run (scripts/bench-store starts the servers):
//
//   store-bench [--postgres URL] [--sqlite NEW_FILE] [--points 1000000] [--single-rows 50000]
//               [--queries 1000] [--pool 10] [--runs 10000] [--rounds 3] [--list-reps 200]
//
// Per backend, in this order:
//   1. `--runs` small runs stored through `saveRun` (`--pool` at a time), then `listRuns` with
//      limit 50 (unfiltered, by strategy, by symbol) timed `--list-reps` times each;
//   2. `--queries` concurrent tasks, alternately `listRuns(limit: 20)` and `loadRun` of a small
//      run, through a pool of `--pool` (PostgreSQL; the URL's pool_size is overridden) or the
//      SQLite store's one connection; per-query latency, errors, and the server's count of the
//      store's connections (`pg_stat_activity`, application_name 'gpt-trader <pool id>') during and after;
//   3. `--rounds` rounds of: one `saveRun` with `--points` equity points (and 10 trades), read
//      back and compared; then `--single-rows` single-row INSERTs into the store's
//      `equity_points` through the driver directly (SQLiteNIO / postgres-nio with bound
//      parameters), autocommit, then the same inside one transaction. Medians and their ratio;
//   4. the store closed, and its connections on the server counted until none is left.
// PostgreSQL runs in a schema of its own, dropped at the end; SQLite wants a file that does not
// exist yet. One JSON line per measurement on standard output, then a table of the figures.
import Foundation
import PostgresNIO
import TraderStore

/// All measurements on one backend; closes it, also when a measurement fails.
func benchmark(_ backend: any BenchBackend, _ options: Options) async throws -> [Figure] {
    let durability = try await backend.durability()
    print("{\"backend\": \"\(backend.name)\", \"measurement\": \"settings\", "
          + durability.map { "\"\($0.0)\": \(JSONField.text($0.1).encoded)" }.joined(separator: ", ") + "}")
    do {
        var figures: [Figure] = []
        let (ids, setup) = try await Measurements.storeSmallRuns(backend, count: options.runs, width: options.pool)
        figures += setup
        figures += try await Measurements.listing(backend, runs: options.runs, reps: options.listReps)
        figures += try await Measurements.burst(backend, ids: ids, queries: options.queries, pool: options.pool)
        figures += try await Measurements.bulkWrite(backend, options)
        figures += try await Measurements.closeAndCheck(backend)
        try await backend.cleanUp()
        return figures
    } catch {
        try? await backend.closeStore()
        try? await backend.cleanUp()
        throw error
    }
}

/// Opens the backends named on the command line, one after the other (never both at once, so
/// neither measures with the other's work in the background).
func runBenchmarks(_ options: Options) async throws -> [Figure] {
    var logger = Logger(label: "store-bench")
    logger.logLevel = .warning
    var figures: [Figure] = []
    if let path = options.sqlite {
        figures += try await benchmark(try await SQLiteBackend.open(path: path, logger: logger), options)
    }
    if let url = options.postgres {
        figures += try await benchmark(try await PostgresBackend.open(url: url, pool: options.pool, logger: logger), options)
    }
    return figures
}

let options: Options
do {
    options = try Options.parse(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n\(Options.usage)\n".utf8))
    exit(2)
}
do {
    let figures = try await runBenchmarks(options)
    printTable(figures)   // a target not met is a figure, not a failure of the bench
    exit(0)
} catch {
    FileHandle.standardError.write(Data("store-bench: \(error)\n".utf8))
    exit(1)
}
