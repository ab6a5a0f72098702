import Foundation
import Testing
@testable import TraderStore

/// The backends the shared suite runs against: SQLite on a temporary file, PostgreSQL at
/// GPT_TRADER_TEST_DATABASE_URL (exported by scripts/test) in a schema of its own per test, so
/// tests run in parallel without seeing each other's rows.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var databaseURL: String? { ProcessInfo.processInfo.environment["GPT_TRADER_TEST_DATABASE_URL"] }

    /// PostgreSQL is left out only when services were explicitly turned off for a quick local
    /// run (GPT_TRADER_TEST_NO_SERVICES=1) and no URL is set; otherwise a missing URL fails.
    static var enabled: [Backend] {
        if databaseURL == nil, ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] == "1" { return [.sqlite] }
        return allCases
    }

    static func postgresURL() throws -> String {
        guard let url = databaseURL else {
            Issue.record("GPT_TRADER_TEST_DATABASE_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
            throw MissingTestServer()
        }
        return url
    }

    /// A configuration for a fresh schema on the test server.
    static func postgresConfiguration() throws -> PostgresStoreConfiguration {
        var configuration = try PostgresStoreConfiguration(parsing: try postgresURL())
        configuration.schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        configuration.poolSize = 4
        return configuration
    }

    /// Opens a fresh, empty store, hands it to `body`, then closes and removes it.
    func withStore<T>(_ body: (any Store) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("store-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try await SQLiteRunStore.open(path: directory.appendingPathComponent("runs.sqlite").path)
            do {
                let value = try await body(store)
                try await store.close()
                return value
            } catch {
                try? await store.close()
                throw error
            }
        case .postgres:
            let store = try await PostgresRunStore.open(try Self.postgresConfiguration())
            do {
                let value = try await body(store)
                try await store.dropSchema()
                try await store.close()
                return value
            } catch {
                try? await store.dropSchema()
                try? await store.close()
                throw error
            }
        }
    }
}

/// Thrown after the issue above is recorded, so the test stops there.
struct MissingTestServer: Error, CustomStringConvertible {
    var description: String { "no PostgreSQL test server (GPT_TRADER_TEST_DATABASE_URL); run scripts/test" }
}

/// Sample data.
enum Samples {
    static func run(id: UUID = UUID(), createdAt: Int64 = 1_700_000_000_000_000_000, strategy: String = "sma-crossover",
                    symbol: String = "GOOG", bars: Int = 1_000, trades: Int = 5) -> NewRun {
        let start: Int64 = 1_600_000_000_000_000_000
        let day: Int64 = 86_400_000_000_000
        let timestamps: [Int64] = (0..<bars).map { (i: Int) -> Int64 in start + Int64(i) * day }
        let values: [Double] = (0..<bars).map { (i: Int) -> Double in
            let x = Double(i)
            let wave: Double = 100 * sin(x / 17)
            return 10_000 + wave + x * 0.125
        }
        let tradeList: [StoredTrade] = (0..<trades).map { (i: Int) -> StoredTrade in
            let x = Double(i)
            let size: Double = i.isMultiple(of: 2) ? 10 : -3.5
            let entry: Int64 = timestamps[min(i * 3, bars - 1)]
            let exit: Int64 = timestamps[min(i * 3 + 2, bars - 1)]
            let reason = i == 0 ? "stop-loss" : "signal"
            return StoredTrade(size: size, entryTime: entry, exitTime: exit, entryPrice: 100 + x, exitPrice: 101.25 + x,
                               commission: 0.2, pnl: 12.3 + x, returnPct: 0.0123, exitReason: reason)
        }
        let metrics: [String: Double] = ["returnPct": 12.5, "sharpeRatio": 0.875, "maxDrawdownPct": -7.25,
                                         "profitFactor": Double.infinity, "sqn": 1.0 / 3.0]
        return NewRun(id: id, createdAt: createdAt, strategy: strategy, symbol: symbol, timeframe: "1d",
                      configuration: #"{"fast":10,"slow":30}"#,
                      metrics: metrics,
                      equity: EquityCurve(timestamps: timestamps, values: values), trades: tradeList)
    }
}
