import Foundation

/// A value of one JSON line. Lines are written by hand so each measurement is one flat object a
/// script can `grep`/`jq` without a schema.
enum JSONField: ExpressibleByStringLiteral {
    case text(String)
    case int(Int)
    case number(Double)
    case bool(Bool)

    init(stringLiteral value: String) { self = .text(value) }

    var encoded: String {
        switch self {
        case .text(let s):
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        case .int(let n): return String(n)
        case .number(let x): return x.isFinite ? String(format: "%.6g", x) : "null"
        case .bool(let b): return b ? "true" : "false"
        }
    }
}

/// Prints one measurement as one JSON line on standard output.
func emit(_ fields: KeyValuePairs<String, JSONField>) {
    print("{" + fields.map { "\"\($0.key)\": \($0.value.encoded)" }.joined(separator: ", ") + "}")
}

/// One row of the closing table: a headline figure, its target and whether it was met.
struct Figure: Sendable {
    var backend: String
    var name: String
    var measured: String
    var target: String = ""
    /// nil where there is no target.
    var met: Bool?
}

/// The readable summary printed after the JSON lines, in the shape BENCHMARKS.md uses.
func printTable(_ figures: [Figure]) {
    let header = ["backend", "figure", "measured", "target", ""]
    let rows = figures.map { [$0.backend, $0.name, $0.measured, $0.target, $0.met.map { $0 ? "met" : "NOT MET" } ?? ""] }
    var widths = header.map(\.count)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }.joined(separator: "  ")
    }
    print("")
    print(line(header))
    print(line(widths.map { String(repeating: "-", count: $0) }))
    for row in rows { print(line(row)) }
}

/// Samples of one quantity (seconds), summarized by nearest-rank percentiles.
struct Samples: Sendable {
    private(set) var values: [Double] = []
    private var isSorted = true

    mutating func add(_ value: Double) {
        if let last = values.last, value < last { isSorted = false }
        values.append(value)
    }

    var count: Int { values.count }

    /// Nearest rank: the smallest sample with at least `p` of the samples at or below it.
    func percentile(_ p: Double) -> Double {
        precondition(!values.isEmpty, "no samples")
        let sorted = isSorted ? values : values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(sorted.count - 1, Swift.max(0, rank - 1))]
    }

    var median: Double { percentile(0.5) }
    var max: Double { values.max() ?? .nan }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Times `body` on the continuous clock, returning its value and the seconds it took.
func timed<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, (ContinuousClock.now - start).seconds)
}

/// `1234567` → `1,234,567`: figures are read by people as well.
func grouped(_ n: Int) -> String {
    let digits = String(n.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
        out.append(c)
    }
    return n < 0 ? "-" + out : out
}

func milliseconds(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }
