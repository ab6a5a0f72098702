import Foundation
import Testing
import TraderCore
import TraderEngine
import TraderStrategies
@testable import TraderApp

@Suite struct JSONValueTests {
    @Test func keepsKeyOrderAndMapsNonFiniteToNull() {
        let v = JSONValue.object([("b", .number(1.5)), ("a", .number(.nan)), ("c", .array([.integer(3), .number(.infinity), .bool(true)]))])
        #expect(v.serialized(indent: nil) == #"{"b":1.5,"a":null,"c":[3,null,true]}"#)
    }

    @Test func escapesStrings() {
        #expect(JSONValue.string("a\"b\\c\nd\u{01}").serialized(indent: nil) == #""a\"b\\c\nd\u0001""#)
    }

    @Test func integralDoublesPrintWithoutFraction() {
        #expect(JSONValue.number(10_000).serialized() == "10000")
        #expect(JSONValue.number(0.1).serialized() == "0.1")
    }

    @Test func roundTripsThroughFoundation() throws {
        let v = JSONValue.object([("x", .number(63341.19135999998)), ("s", .string("ü"))])
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(v.serialized().utf8)) as? [String: Any])
        #expect(parsed["x"] as? Double == 63341.19135999998)
        #expect(parsed["s"] as? String == "ü")
    }
}

@Suite struct MarketDataLocatorTests {
    func dataDir() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try """
        Date,Open,High,Low,Close,Volume
        2024-01-01,10,11,9,10.5,100
        2024-01-02,10.5,12,10,11,200
        2024-01-03,11,11.5,10.2,10.8,150
        """.write(toFile: dir + "/ABC.csv", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func findsSymbolsInTheConfiguredDirectory() throws {
        let dir = try dataDir()
        let locator = MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": dir], currentDirectory: "/nonexistent")
        #expect(locator.availableSymbols().contains("ABC"))
        let bars = try locator.load(.symbol("abc"))
        #expect(bars.count == 3 && bars.symbol == "ABC")
        let sliced = try locator.load(.symbol("ABC"), start: DateInput.parse("2024-01-02"), end: DateInput.parse("2024-01-02"))
        #expect(sliced.count == 1 && sliced.close[0] == 11)
    }

    @Test func unknownSymbolIsAUsageErrorListingWhatExists() throws {
        let dir = try dataDir()
        let locator = MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": dir], currentDirectory: "/nonexistent")
        do {
            _ = try locator.load(.symbol("XYZ"))
            Issue.record("expected an error")
        } catch {
            #expect(error.isUsage)
            #expect(error.message.contains("no data for symbol 'XYZ'") && error.message.contains("ABC"))
        }
    }

    @Test func emptyOrInvertedRangesAreRefused() throws {
        let dir = try dataDir()
        let locator = MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": dir], currentDirectory: "/nonexistent")
        #expect(throws: AppError.self) { try locator.load(.symbol("ABC"), start: DateInput.parse("2030-01-01")) }
        #expect(throws: AppError.self) {
            try locator.load(.symbol("ABC"), start: DateInput.parse("2024-01-03"), end: DateInput.parse("2024-01-01"))
        }
    }
}

@Suite struct BacktestServiceTests {
    @Test func syntheticRunsAreReproducible() throws {
        let service = BacktestService(data: MarketDataLocator(environment: [:], currentDirectory: "/nonexistent"))
        let request = BacktestRequest(source: .synthetic(symbol: "S", bars: 2_000, seed: 9, timeframe: .day1),
                                      strategy: try StrategySpec(name: "momentum"), settings: ExecutionSettings())
        let a = try service.run(request)
        let b = try service.run(request)
        #expect(a.equity == b.equity)
        #expect(a.trades == b.trades)
        var other = request
        other.source = .synthetic(symbol: "S", bars: 2_000, seed: 10, timeframe: .day1)
        #expect(try service.run(other).equity != a.equity)
    }

    @Test func reportRowsUseBacktestingPyLabelsInOrder() throws {
        let service = BacktestService(data: MarketDataLocator(environment: [:], currentDirectory: "/nonexistent"))
        let request = BacktestRequest(source: .synthetic(symbol: "S", bars: 500, seed: 1, timeframe: .day1),
                                      strategy: try StrategySpec(name: "sma-crossover"), settings: ExecutionSettings())
        let labels = BacktestReport.rows(try service.run(request)).map(\.label)
        let expectedOrder = ["Start", "End", "Duration", "Exposure Time [%]", "Equity Final [$]", "Equity Peak [$]",
                             "Return [%]", "Buy & Hold Return [%]", "Return (Ann.) [%]", "Volatility (Ann.) [%]",
                             "CAGR [%]", "Sharpe Ratio", "Sortino Ratio", "Calmar Ratio", "Alpha [%]", "Beta",
                             "Max. Drawdown [%]", "Avg. Drawdown [%]", "Max. Drawdown Duration", "Avg. Drawdown Duration",
                             "# Trades", "Win Rate [%]", "Best Trade [%]", "Worst Trade [%]", "Avg. Trade [%]",
                             "Max. Trade Duration", "Avg. Trade Duration", "Profit Factor", "Expectancy [%]", "SQN",
                             "Kelly Criterion"]
        let positions = expectedOrder.map { labels.firstIndex(of: $0) }
        #expect(!positions.contains(nil))
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
    }
}
