import Foundation
import TraderStore

/// SplitMix64: a seeded generator, so every run of the bench writes the same curves.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The runs the measurements store, shaped like real backtests: one-minute timestamps, an equity
/// random walk with full-precision values (17 significant digits as text), a few trades and the
/// headline metrics that `runs list` copies out.
enum Workload {
    static let strategies = ["sma-crossover", "momentum", "mean-reversion", "breakout", "scalp", "rsi"]
    static let symbols = (0..<50).map { "SYM\($0 < 10 ? "0" : "")\($0)" }
    /// 2026-01-01 00:00 UTC, in nanoseconds.
    static let epoch: Int64 = 1_767_225_600_000_000_000

    static func curve(points: Int, seed: UInt64) -> EquityCurve {
        var random = SeededGenerator(seed: seed)
        var timestamps: [Int64] = [], values: [Double] = []
        timestamps.reserveCapacity(points)
        values.reserveCapacity(points)
        var equity = 10_000.0
        for i in 0..<points {
            timestamps.append(epoch + Int64(i) * 60_000_000_000)
            equity *= 1 + Double.random(in: -0.001...0.001, using: &random)
            values.append(equity)
        }
        return EquityCurve(timestamps: timestamps, values: values)
    }

    static func trades(_ count: Int, over equity: EquityCurve) -> [StoredTrade] {
        guard equity.count >= 2 else { return [] }
        let span = equity.count / max(count, 1)
        return (0..<count).compactMap { k in
            let entry = k * span, exit = min(equity.count - 1, entry + max(span / 2, 1))
            guard exit > entry else { return nil }
            let entryPrice = 100 + Double(k % 7), exitPrice = entryPrice * (k % 3 == 0 ? 0.99 : 1.02)
            return StoredTrade(size: 10, entryTime: equity.timestamps[entry], exitTime: equity.timestamps[exit],
                               entryPrice: entryPrice, exitPrice: exitPrice, commission: 0.2,
                               pnl: (exitPrice - entryPrice) * 10 - 0.2, returnPct: (exitPrice / entryPrice - 1) * 100,
                               exitReason: k % 2 == 0 ? "signal" : "stop-loss")
        }
    }

    static func strategy(_ n: Int) -> String { strategies[n % strategies.count] }
    static func symbol(_ n: Int) -> String { symbols[(n * 7 + n / strategies.count) % symbols.count] }

    /// How many of runs `0..<runs` a filter matches, so a listing can be checked for a full page.
    static func matching(_ filter: RunFilter, runs: Int) -> Int {
        (0..<runs).count { n in
            (filter.strategy.map { $0 == strategy(n) } ?? true) && (filter.symbol.map { $0 == symbol(n) } ?? true)
        }
    }

    /// Run number `n` of a series: strategy and symbol vary with `n`, `createdAt` is distinct.
    static func run(_ n: Int, equity: EquityCurve, trades tradeCount: Int) -> NewRun {
        let last = equity.values.last ?? 10_000
        return NewRun(id: UUID(), createdAt: epoch + Int64(n) * 1_000_000_000,
                      strategy: strategy(n), symbol: symbol(n),
                      timeframe: "1m", configuration: #"{"fast":10,"slow":20,"cash":10000,"commission":0.002}"#,
                      metrics: ["returnPct": (last / 10_000 - 1) * 100, "sharpeRatio": 0.5 + Double(n % 100) / 100,
                                "maxDrawdownPct": -Double(n % 30), "tradeCount": Double(tradeCount)],
                      equity: equity, trades: trades(tradeCount, over: equity))
    }
}
