import Foundation
import TraderCore
import TraderStore
import TraderWorkflows

/// `data.load` and `data.check`: the data preparation steps.
enum DataActions {
    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// Loads the bars (symbol, data file or synthetic; start, end, last) once for the run and
        /// reports what they cover, so later steps load the same ones.
        registry.register("data.load") { context in
            let bars = try await env.bars(context)
            var out = WorkflowEnvironment.describe(bars)
            out["last_close"] = bars.last.map { .number($0.close) } ?? .null
            return out
        }
        /// Checks a series as the monitor would: gaps longer than `max_gap_days` (default 5
        /// calendar days), non-positive prices, bars whose high is below their low, and how old
        /// the last bar is at `as_of` (default: now) against `max_age_days` (default 5).
        registry.register("data.check") { context in
            let limits = try DataQuality.Limits(context)
            let bars = try await env.bars(context)
            var out = WorkflowEnvironment.describe(bars)
            out.merge(DataQuality(bars, limits: limits).outputs) { $1 }
            return out
        }
        /// `data.check` over every one of `symbols` (a list or comma-separated), in parallel:
        /// `ok` when all pass, `problems` naming each failing symbol and why.
        registry.register("monitor.data") { context in
            let limits = try DataQuality.Limits(context)
            let symbols = try context.strings("symbols") ?? env.data.availableSymbols()
            guard !symbols.isEmpty else { throw context.error("symbols", "names no symbol and no data was found") }
            let results = try await withThrowingTaskGroup(of: (String, [String: JSONValue]).self) { group in
                for symbol in symbols {
                    group.addTask { (symbol, DataQuality(try await env.bars(for: .init(source: .symbol(symbol))), limits: limits).outputs) }
                }
                var out: [String: [String: JSONValue]] = [:]
                for try await (symbol, outputs) in group { out[symbol] = outputs }
                return out
            }
            var problems: [JSONValue] = []
            for symbol in symbols {
                let r = results[symbol]!
                if r["ok"] != .bool(true) {
                    let why = ["gaps", "bad_prices"].filter { (r[$0]?.doubleValue ?? 0) > 0 }.map { "\($0) \(r[$0]!.serialized(indent: nil))" }
                        + (r["stale"] == .bool(true) ? ["stale (\(r["age_days"]!.serialized(indent: nil)) days)"] : [])
                    problems.append(.string("\(symbol): \(why.joined(separator: ", "))"))
                }
            }
            return [
                "checked": .integer(symbols.count),
                "ok": .bool(problems.isEmpty),
                "problems": .array(problems),
                "symbols": .object(symbols.map { ($0, .object(results[$0]!.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })) }),
            ]
        }
    }
}

/// What `data.check` looks for in a series: gaps longer than `max_gap_days` (default 5
/// calendar days), non-positive prices or highs below lows, and the age of the last bar at
/// `as_of` (default: now) against `max_age_days` (default: config monitor.max_data_age_days, 5).
struct DataQuality {
    struct Limits: Sendable {
        var maxGapDays: Double
        var maxAgeDays: Double
        var asOf: Timestamp

        init(_ context: StepContext) throws {
            maxGapDays = try context.number("max_gap_days", in: .closed(0, 36_500, unit: "days")) ?? 5
            maxAgeDays = try context.number("max_age_days", in: .closed(0, 36_500, unit: "days")) ?? ActiveConfiguration.number("monitor.max_data_age_days")
            if let text = try context.string("as_of"), !text.isEmpty {
                guard let t = DateInput.parse(text) else { throw context.error("as_of", "must be a date such as 2020-01-31, got '\(text)'") }
                asOf = t
            } else {
                asOf = Timestamp(nanos: StoreClock.nowNanos())
            }
        }
    }

    var gaps = 0
    var largestGapDays = 0.0
    var badPrices = 0
    var ageDays = Double.infinity
    let limits: Limits

    init(_ bars: BarSeries, limits: Limits) {
        self.limits = limits
        var previous: Int64?
        for i in 0..<bars.count {
            let bar = bars[i]
            if !(bar.open > 0 && bar.high > 0 && bar.low > 0 && bar.close > 0) || bar.high < bar.low { badPrices += 1 }
            if let previous {
                let days = Double(bar.timestamp.nanos - previous) / Double(Timestamp.nanosPerDay)
                largestGapDays = max(largestGapDays, days)
                if days > limits.maxGapDays { gaps += 1 }
            }
            previous = bar.timestamp.nanos
        }
        if let last = bars.last { ageDays = Double(limits.asOf.nanos - last.timestamp.nanos) / Double(Timestamp.nanosPerDay) }
    }

    var stale: Bool { ageDays > limits.maxAgeDays }

    var outputs: [String: JSONValue] {
        [
            "gaps": .integer(gaps),
            "largest_gap_days": .number(largestGapDays),
            "bad_prices": .integer(badPrices),
            "age_days": .number((ageDays * 100).rounded() / 100),
            "stale": .bool(stale),
            "ok": .bool(badPrices == 0 && gaps == 0 && !stale),
        ]
    }
}
