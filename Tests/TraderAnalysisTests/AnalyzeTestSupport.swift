import TraderAnalysis
import TraderCore

/// Hand-made bar series for the analysis tests.
enum Path {
    /// Daily bars (every calendar day from 2020-01-01) whose closes run in straight lines between
    /// `waypoints` (bar, close); each bar's high is its close + `spread`, its low its close −
    /// `spread`, its open the previous close moved into that range (a bar's open lies within
    /// [low, high]). So a waypoint that is higher (lower) than both neighbours, with legs of at
    /// least the pivot window, is a swing high (low) at close ± spread.
    static func bars(_ waypoints: [(Int, Double)], spread: Double = 0.2, volume: Double = 1_000, symbol: String = "TEST") throws -> BarSeries {
        var closes: [Double] = []
        for (k, (bar, price)) in waypoints.enumerated() {
            guard k + 1 < waypoints.count else {
                closes.append(price)
                break
            }
            let (nextBar, nextPrice) = waypoints[k + 1]
            precondition(bar == closes.count && nextBar > bar, "waypoints must start at 0 and increase")
            for i in bar..<nextBar {
                closes.append(price + (nextPrice - price) * Double(i - bar) / Double(nextBar - bar))
            }
        }
        let start = Timestamp(year: 2020, month: 1, day: 1).nanos
        let n = closes.count
        return try BarSeries(
            symbol: symbol, timeframe: .day1, timestamps: (0..<n).map { start + Int64($0) * Timestamp.nanosPerDay },
            open: (0..<n).map { $0 == 0 ? closes[0] : min(max(closes[$0 - 1], closes[$0] - spread), closes[$0] + spread) },
            high: closes.map { $0 + spread },
            low: closes.map { $0 - spread }, close: closes, volume: [Double](repeating: volume, count: n))
    }

    /// The waypoints reflected about `axis` (a top becomes a bottom).
    static func mirrored(_ waypoints: [(Int, Double)], about axis: Double = 220) -> [(Int, Double)] {
        waypoints.map { ($0.0, axis - $0.1) }
    }
}

extension ChartPattern {
    /// The bars of the key points, in order.
    var pointBars: [Int] { points.map(\.index) }
    /// The role names of the key points, in order.
    var roles: [String] { points.map(\.role) }
}

/// `|a − b| <= tolerance`.
func close(_ a: Double?, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= tolerance
}
