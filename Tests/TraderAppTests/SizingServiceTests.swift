import Testing
import TraderAnalysis
import TraderCore
import TraderEngine
import TraderStrategies
@testable import TraderApp

/// The app builds a fresh sizer from the request's sizing for every run.
@Suite struct SizingServiceTests {
    let service = BacktestService(data: MarketDataLocator(environment: [:], currentDirectory: "/nonexistent"))

    func request(_ sizing: SizingConfiguration?) throws -> BacktestRequest {
        var settings = ExecutionSettings()
        settings.wholeUnits = false
        return BacktestRequest(source: .synthetic(symbol: "S", bars: 3_000, seed: 4, timeframe: .day1),
                               strategy: try StrategySpec(name: "sma-crossover"), settings: settings, sizing: sizing)
    }

    @Test func theRequestsSizingSizesTheRunAndIsReported() throws {
        var kelly = SizingConfiguration(rule: .fractionalKelly)
        kelly.minimumTrades = 5
        kelly.kellyFloor = 0.05  // keep trading (small) when the edge turns negative
        let sized = try service.run(try request(kelly))
        let plain = try service.run(try request(nil))
        #expect(sized.sizing?.rule == "fractional-kelly" && plain.sizing == nil)
        #expect(sized.trades.map(\.entryBar) == plain.trades.map(\.entryBar))  // same signals
        #expect(sized.equity != plain.equity)
        let json = BacktestReport.json(sized, parameters: [], includeTrades: false).serialized(indent: nil)
        #expect(json.contains(#""sizing":{"rule":"fractional-kelly","kelly_fraction":0.25,"min_trades":5,"fallback":0.9999999999999998,"floor":0.05"#))
    }

    @Test func everyRunStartsFromAFreshSizer() async throws {
        // The same Kelly request twice in a batch, and again alone: the trade statistics of one run
        // never leak into the next.
        var kelly = SizingConfiguration(rule: .kelly)
        kelly.minimumTrades = 3
        let r = try request(kelly)
        let batch = try await service.runBatch([r, r], jobs: 2)
        let alone = try service.run(r)
        #expect(batch[0].equity == alone.equity && batch[1].equity == alone.equity)
    }

    @Test func invalidSizingIsAUsageErrorNamingTheOption() throws {
        var bad = SizingConfiguration(rule: .fractionalKelly)
        bad.kellyFraction = 2
        let r = try request(bad)
        do throws(AppError) {
            _ = try service.run(r)
            Issue.record("expected an error")
        } catch {
            #expect(error.isUsage && error.message.hasPrefix("--kelly-fraction: "), "\(error.message)")
        }
    }
}
