import Foundation

/// Command-line options of `store-bench` (see main.swift for what each one drives).
struct Options: Sendable {
    var postgres: String?
    var sqlite: String?
    /// Equity points of the one run written per round by the bulk measurement.
    var points = 1_000_000
    /// Rows written one INSERT at a time by the naive baseline.
    var singleRows = 50_000
    /// Concurrent queries of the pool burst.
    var queries = 1_000
    /// Pool size of the PostgreSQL store (the URL's `pool_size`).
    var pool = 10
    /// Small runs stored before the listing and burst measurements.
    var runs = 10_000
    /// Rounds of the bulk write and its baseline; medians are reported.
    var rounds = 3
    /// Timed calls per `listRuns` query shape (after 10 untimed warm-up calls).
    var listReps = 200

    static let usage = """
        usage: store-bench [--postgres URL] [--sqlite NEW_FILE] [--points 1000000] [--single-rows 50000]
                           [--queries 1000] [--pool 10] [--runs 10000] [--rounds 3] [--list-reps 200]
        """

    /// Parses `--name value` pairs; throws `UsageError` on anything unknown or malformed.
    static func parse(_ arguments: [String]) throws -> Options {
        var options = Options()
        var i = 0
        while i < arguments.count {
            let name = arguments[i]
            guard i + 1 < arguments.count else { throw UsageError("\(name) needs a value") }
            let value = arguments[i + 1]
            func count(_ minimum: Int) throws -> Int {
                guard let n = Int(value.replacingOccurrences(of: "_", with: "")), n >= minimum else {
                    throw UsageError("\(name) needs an integer ≥ \(minimum), not \(value)")
                }
                return n
            }
            switch name {
            case "--postgres": options.postgres = value
            case "--sqlite": options.sqlite = value
            case "--points": options.points = try count(1)
            case "--single-rows": options.singleRows = try count(1)
            case "--queries": options.queries = try count(1)
            case "--pool": options.pool = try count(1)
            case "--runs": options.runs = try count(50)
            case "--rounds": options.rounds = try count(1)
            case "--list-reps": options.listReps = try count(1)
            default: throw UsageError("unknown option \(name)")
            }
            i += 2
        }
        if options.postgres == nil && options.sqlite == nil { throw UsageError("give --postgres and/or --sqlite") }
        return options
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
