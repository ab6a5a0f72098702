import Foundation
import Synchronization
import Testing
import TraderCache
import TraderCore
import TraderData
import TraderEngine
import TraderStrategies
import TraderAnalysis
@testable import TraderApp

/// The application's cached paths: a repeated request is served from the cache and equals a
/// fresh computation; a change of data, inputs or bytes is never served stale.
@Suite struct CachedServiceTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/sample").path

    static var locator: MarketDataLocator {
        MarketDataLocator(environment: ["GPT_TRADER_DATA_DIR": sample], currentDirectory: "/nonexistent",
                          storeDirectory: "/nonexistent/store")
    }

    static func request(_ source: DataSource, fast: Double = 10) throws -> BacktestRequest {
        var settings = ExecutionSettings()
        settings.commission = try CommissionModel(rate: 0.002)
        return BacktestRequest(source: source, strategy: try StrategySpec(name: "sma-crossover", overrides: ["fast": fast]), settings: settings)
    }

    /// The user-visible report, trades included: equal reports mean equal runs.
    static func report(_ r: BacktestResult) -> String { BacktestReport.json(r, parameters: [], includeTrades: true).serialized() }

    @Test func repeatedBacktestIsServedFromTheCacheAndEqualsAFreshRun() async throws {
        let cache = AppCache(tiered: TieredCache())
        let service = BacktestService(data: Self.locator, cache: cache)
        let request = try Self.request(.symbol("GOOG"))
        let first = try await service.result(for: request)
        let second = try await service.result(for: request)
        let fresh = try BacktestService(data: Self.locator).run(request)
        #expect(Self.report(first) == Self.report(fresh) && Self.report(second) == Self.report(fresh))
        #expect(second.equity == fresh.equity && second.trades == fresh.trades)
        #expect(cache.tiered.metrics.count(.load) == 2)  // the run and its bars, once each
        #expect(cache.tiered.metrics.count(.l1Hit) == 1)
        // Another strategy parameter is another key.
        let other = try await service.result(for: try Self.request(.symbol("GOOG"), fast: 12))
        #expect(other.metrics.tradeCount != first.metrics.tradeCount || other.metrics.equityFinal != first.metrics.equityFinal)
        #expect(cache.tiered.metrics.count(.load) == 3)  // bars were cached: only the run is new
    }

    @Test func editedDataIsANewVersion() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("X.csv").path
        func write(_ closes: [Double]) throws {
            var text = "Date,Open,High,Low,Close,Volume\n"
            var day = Timestamp(year: 2024, month: 1, day: 1)
            for c in closes {
                text += "\(day.iso8601(dateOnlyAtMidnight: true)),\(c),\(c + 1),\(c - 1),\(c),1000\n"
                day = Timestamp(nanos: day.nanos + Timestamp.nanosPerDay)
            }
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let wave = (0..<120).map { 100 + 10 * sin(Double($0) / 6) }
        try write(wave)
        let cache = AppCache(tiered: TieredCache())
        let service = BacktestService(data: Self.locator, cache: cache)
        let request = try Self.request(.file(path: path, symbol: "X"))
        let v1 = try Self.locator.dataVersion(of: request.source)
        let before = try await service.result(for: request)
        try write(wave.map { $0 * 1.5 })
        let v2 = try Self.locator.dataVersion(of: request.source)
        #expect(v1 != v2)
        let after = try await service.result(for: request)
        #expect(after.metrics.equityFinal != before.metrics.equityFinal)
        #expect(Self.report(after) == Self.report(try BacktestService(data: Self.locator).run(request)))
        #expect(try Self.locator.dataVersion(of: .synthetic(symbol: "S", bars: 10, seed: 1, timeframe: .day1))
                != Self.locator.dataVersion(of: .synthetic(symbol: "S", bars: 10, seed: 2, timeframe: .day1)))
        #expect(throws: AppError.self) { try Self.locator.dataVersion(of: .symbol("NO_SUCH_SYMBOL")) }
    }

    @Test func codecsRoundTripBitForBitAndRejectDamage() throws {
        let bars = try SyntheticBars.generate(symbol: "SYN", bars: 3_000, seed: 9, timeframe: .hour1)
        let decoded = try #require(CacheCodec<BarSeries>.bars.decode(CacheCodec<BarSeries>.bars.encode(bars)))
        #expect(decoded.symbol == "SYN" && decoded.timeframe == .hour1 && decoded.timestamps == bars.timestamps)
        #expect(decoded.open == bars.open && decoded.high == bars.high)
        #expect(decoded.low == bars.low && decoded.close == bars.close && decoded.volume == bars.volume)
        var settings = ExecutionSettings()
        settings.stopLoss = 0.05
        let run = try Backtester.run(try StrategySpec(name: "momentum"), on: bars, settings: settings)
        let bytes = CacheCodec<BacktestResult>.backtestResult.encode(run)
        let back = try #require(CacheCodec<BacktestResult>.backtestResult.decode(bytes))
        #expect(Self.report(back) == Self.report(run))
        #expect(back.settings == run.settings && back.trades == run.trades)
        #expect(back.openTrades == run.openTrades && back.equity == run.equity)
        #expect(CacheCodec<BacktestResult>.backtestResult.decode(Array(bytes.dropLast())) == nil)
        #expect(CacheCodec<BacktestResult>.backtestResult.decode(CacheCodec<BarSeries>.bars.encode(bars)) == nil)  // another type's bytes
        let series = try IndicatorSeries.compute("macd", over: bars)
        let again = try #require(CacheCodec<IndicatorSeries>.indicatorSeries.decode(CacheCodec<IndicatorSeries>.indicatorSeries.encode(series)))
        #expect(again.spec == "macd:12:26:9" && again.timestamps == series.timestamps)
        for (a, b) in zip(again.outputs, series.outputs) {
            let same = a.values.map { (v: Double) in v.bitPattern } == b.values.map { (v: Double) in v.bitPattern }  // NaN warm-up included
            #expect(a.name == b.name && same)
        }
    }

    @Test func optimizationIsServedFromTheCache() async throws {
        let cache = AppCache(tiered: TieredCache())
        let bars = try Self.locator.load(.symbol("GOOG"))
        let request = try Self.request(.symbol("GOOG"))
        let sets = [["fast": 5.0, "slow": 20.0], ["fast": 10, "slow": 30], ["fast": 20, "slow": 50]]
        let objective = Objective(metric: .sharpe)
        let identity = AppCache.optimizationIdentity(strategy: "sma-crossover", sets: sets, request: request, objective: objective, keep: 3)
        let version = try Self.locator.dataVersion(of: request.source)
        let runs = Mutex(0)
        for _ in 0..<2 {
            let result = try await cache.optimization(identity: identity, dataVersion: version) {
                runs.withLock { $0 += 1 }
                return await Optimizer.run(strategy: "sma-crossover", sets: sets, on: bars, settings: request.settings, objective: objective,
                                           top: 3, jobs: 2)
            }
            #expect(result.ranked.count == 3 && result.evaluated == 3)
            // The best set's score is the Sharpe ratio of a plain backtest with its parameters.
            let best = try #require(result.ranked.first)
            var spec = request
            spec.strategy = try StrategySpec(name: "sma-crossover", overrides: best.parameters)
            #expect(best.score == (try BacktestService(data: Self.locator).run(spec)).metrics.sharpeRatio)
        }
        #expect(runs.withLock { $0 } == 1)
        let otherSets = AppCache.optimizationIdentity(strategy: "sma-crossover", sets: Array(sets.prefix(2)), request: request, objective: objective, keep: 3)
        #expect(otherSets != identity)
    }

    @Test func indicatorSeriesAreComputedOnceAndCorrect() async throws {
        let cache = AppCache(tiered: TieredCache())
        let service = AnalysisService(data: Self.locator)
        let request = AnalysisRequest(source: .symbol("GOOG"))
        let first = try await service.indicatorSeries(["sma:5", "rsi"], for: request, cache: cache)
        let second = try await service.indicatorSeries(["sma:5", "rsi:14"], for: request, cache: cache)  // same as the default
        let uncached = try await service.indicatorSeries(["sma:5", "rsi"], for: request, cache: nil)
        #expect(first.map(\.spec) == ["sma:5", "rsi:14"])
        // Bit patterns: NaN (the warm-up) is never == NaN.
        func bits(_ all: [IndicatorSeries]) -> [[UInt64]] { all.flatMap { $0.outputs.map { $0.values.map { (v: Double) in v.bitPattern } } } }
        #expect(bits(second) == bits(first) && bits(uncached) == bits(first))
        #expect(second.map(\.spec) == first.map(\.spec) && uncached.map(\.timestamps) == first.map(\.timestamps))
        #expect(cache.tiered.metrics.count(.load) == 3)  // bars once, two series once each
        let bars = try Self.locator.load(.symbol("GOOG"))
        let sma = first[0].outputs[0].values
        #expect(sma[3].isNaN && abs(sma[4] - bars.close[0..<5].reduce(0, +) / 5) < 1e-9)
        await #expect(throws: AppError.self) { _ = try await service.indicatorSeries(["nope"], for: request, cache: cache) }
    }

    @Test func settingsComeFromTheEnvironmentWithErrorsNamingTheVariable() throws {
        #expect(try CacheSettings.fromEnvironment([:]) == CacheSettings())
        #expect(try CacheSettings.fromEnvironment(["GPT_TRADER_CACHE": "off"]).enabled == false)
        #expect(try CacheSettings.fromEnvironment(["GPT_TRADER_CACHE_URL": "redis://h:7000/2"]).redis == RedisURL(host: "h", port: 7000, database: 2))
        #expect { try CacheSettings.fromEnvironment(["GPT_TRADER_CACHE_URL": "http://h"]) } throws: { "\($0)".contains("GPT_TRADER_CACHE_URL") }
        #expect { try CacheSettings.fromEnvironment(["GPT_TRADER_CACHE": "maybe"]) } throws: { "\($0)".contains("GPT_TRADER_CACHE") }
        #expect(AppCache(CacheSettings(enabled: false)) == nil)
    }
}

/// Across processes: a second service with its own L1 is served the first one's results from Redis.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"] != nil
                    || ProcessInfo.processInfo.environment["GPT_TRADER_TEST_NO_SERVICES"] != "1"))
struct CachedServiceRedisTests {
    @Test func secondProcessGetsTheSameResultFromRedis() async throws {
        let text = try #require(ProcessInfo.processInfo.environment["GPT_TRADER_TEST_REDIS_URL"], "run with scripts/test, which starts Redis")
        let root = "apptest-\(UUID().uuidString.prefix(8))"
        func cache() throws -> AppCache {
            AppCache(tiered: TieredCache(TieredCacheConfiguration(
                redis: RedisClientConfiguration(url: try RedisURL(parsing: text), commandTimeout: .seconds(10), connectTimeout: .seconds(10)),
                root: root)))
        }
        let a = try cache(), b = try cache()
        let request = try CachedServiceTests.request(.symbol("EURUSD"))
        let first = try await BacktestService(data: CachedServiceTests.locator, cache: a).result(for: request)
        let second = try await BacktestService(data: CachedServiceTests.locator, cache: b).result(for: request)
        #expect(CachedServiceTests.report(first) == CachedServiceTests.report(second))
        #expect(second.trades == first.trades && second.equity == first.equity)
        #expect(b.tiered.metrics.count(.l2Hit) == 1 && b.tiered.metrics.count(.load) == 0)
        await a.tiered.clear()
        await a.shutdown()
        await b.shutdown()
    }
}

@Suite struct CacheKeyMaterialTests {
    /// The key lists fields by hand; a field added to either type without being added there
    /// would let two different runs share a cached result. This fails first.
    @Test func keyMaterialCoversEveryField() throws {
        #expect(Mirror(reflecting: ExecutionSettings()).children.count == CacheKeyMaterial.settingsFieldCount)
        #expect(Mirror(reflecting: SizingConfiguration(rule: .kelly)).children.count == CacheKeyMaterial.sizingFieldCount)
        let base = ExecutionSettings()
        var variants: [ExecutionSettings] = []
        func vary(_ change: (inout ExecutionSettings) throws -> Void) rethrows { var s = base; try change(&s); variants.append(s) }
        vary { $0.initialCapital = 5_000 }
        try vary { $0.commission = try CommissionModel(rate: 0.001) }
        try vary { $0.costs = try SlippageModel(spread: 0.001) }
        vary { $0.fill = .close }
        vary { $0.direction = .longShort }
        vary { $0.positionFraction = 0.5 }
        vary { $0.wholeUnits = false }
        vary { $0.stopLoss = 0.05 }
        vary { $0.takeProfit = 0.05 }
        vary { $0.trailingStop = 0.05 }
        vary { $0.closeAtEnd = true }
        vary { $0.tradingStartBar = 3 }
        vary { $0.risk.drawdownHalt = DrawdownHalt(0.15) }
        vary { $0.volumeLimit = 0.1 }
        let texts = Set(([base] + variants).map(CacheKeyMaterial.canonical))
        #expect(texts.count == CacheKeyMaterial.settingsFieldCount + 1)
        var k = SizingConfiguration(rule: .kelly)
        let before = CacheKeyMaterial.canonical(k)
        k.maxExposure = 0.5
        #expect(CacheKeyMaterial.canonical(k) != before)
    }
}

extension CacheKeyMaterialTests {
    /// The metrics record lists fields by hand too.
    @Test func metricsRecordCoversEveryField() throws {
        #expect(Mirror(reflecting: PerformanceMetrics.undefined).children.count == RunRecordCoding.metricsFieldCount)
        var w = ByteWriter()
        var m = PerformanceMetrics.undefined
        m.sharpeRatio = 1.25
        m.maxTradeDuration = Duration64(nanos: 86_400_000_000_000)
        m.tradeCount = 7
        RunRecordCoding.write(m, into: &w)
        var r = ByteReader(w.bytes)
        let back = try #require(RunRecordCoding.readMetrics(&r))
        #expect(back.sharpeRatio == 1.25 && back.maxTradeDuration == m.maxTradeDuration && back.avgTradeDuration == nil && back.tradeCount == 7)
        #expect(back.sortinoRatio.isNaN && r.isAtEnd)
    }
}

/// The binary form of bars in the cache (moved here with the codec, from TraderCache's former
/// `BarColumnsCodec`, which duplicated it).
@Suite struct BarsCodecTests {
    static let sample = BarSeries(unchecked: "S", timeframe: .day1, timestamps: [1, 2, 3], open: [10, 11, 12.5], high: [11, 12, 13],
                                  low: [9, 10, 12], close: [10.5, 11.5, .pi], volume: [100, 0, 1e9])
    static let codec = CacheCodec<BarSeries>.bars

    static func same(_ a: BarSeries?, _ b: BarSeries) -> Bool {
        guard let a else { return false }
        return a.symbol == b.symbol && a.timeframe == b.timeframe && a.timestamps == b.timestamps && a.open == b.open
            && a.high == b.high && a.low == b.low && a.close == b.close && a.volume == b.volume
    }

    @Test func roundTripsBitForBit() {
        #expect(Self.same(Self.codec.decode(Self.codec.encode(Self.sample)), Self.sample))
        let empty = BarSeries(unchecked: "E", timeframe: .hour1, timestamps: [], open: [], high: [], low: [], close: [], volume: [])
        #expect(Self.same(Self.codec.decode(Self.codec.encode(empty)), empty))
    }

    /// Garbage, truncated or altered bytes are a miss, never data.
    @Test func anythingElseIsAMiss() {
        let bytes = Self.codec.encode(Self.sample)
        #expect(Self.codec.decode([]) == nil)
        #expect(Self.codec.decode(Array("hello, world: not bars at all".utf8)) == nil)
        for cut in [1, 8, 31, 32, bytes.count - 1] { #expect(Self.codec.decode(Array(bytes.prefix(cut))) == nil, "cut at \(cut)") }
        #expect(Self.codec.decode(bytes + [0]) == nil)
        for position in [0, 9, 17, 25, 40, bytes.count - 1] {
            var flipped = bytes
            flipped[position] ^= 0x01
            #expect(Self.codec.decode(flipped) == nil, "bit flipped at \(position)")
        }
    }
}
