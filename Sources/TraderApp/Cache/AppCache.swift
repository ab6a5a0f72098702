public import Foundation
public import TraderCache
public import TraderCore
public import TraderEngine

/// Where the application's cache lives: in process always (unless turned off), and in Redis
/// when a URL is given. Read from the environment (`GPT_TRADER_CACHE_URL=redis://…`,
/// `GPT_TRADER_CACHE=off`) and overridden by the CLI's `--cache-url` / `--no-cache`.
public struct CacheSettings: Sendable, Equatable {
    public var enabled: Bool
    public var redis: RedisURL?

    public init(enabled: Bool = true, redis: RedisURL? = nil) {
        self.enabled = enabled
        self.redis = redis
    }

    /// The settings the environment gives; a malformed value is a usage error naming the variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws(AppError) -> CacheSettings {
        var settings = CacheSettings()
        if let flag = environment["GPT_TRADER_CACHE"]?.lowercased() {
            switch flag {
            case "off", "0", "false", "no": settings.enabled = false
            case "on", "1", "true", "yes", "": break
            default: throw .usage("GPT_TRADER_CACHE: expected on or off, got '\(flag)'")
            }
        }
        if let text = environment["GPT_TRADER_CACHE_URL"], !text.isEmpty {
            do { settings.redis = try RedisURL(parsing: text) } catch { throw .usage("GPT_TRADER_CACHE_URL: \(error.description)") }
        }
        return settings
    }
}

/// The cached operations of the application, on one `TieredCache`: bars by data version and
/// range, backtest results and optimization results by data version, inputs and engine.
///
/// Every key names the engine (`Backtester.engineVersion` and this build), the data version
/// (`MarketDataLocator.dataVersion`: the file's identity, so an edited CSV is a new key) and a
/// digest of every input. A format change bumps the namespace's version.
public final class AppCache: Sendable {
    public let tiered: TieredCache

    public init(tiered: TieredCache) { self.tiered = tiered }

    /// A cache for `settings`; nil when caching is off.
    ///
    /// `subscribe`: a long-running process (a server) follows other processes' invalidations over
    /// pub/sub and keeps a pool of four connections. A one-shot command uses one connection and
    /// does not subscribe: its keys already name the data version and build, so what it reads
    /// cannot be stale data.
    public convenience init?(_ settings: CacheSettings, subscribe: Bool = false) {
        guard settings.enabled else { return nil }
        // A one-shot command multiplexes everything over one connection; a server keeps a pool.
        let redis = settings.redis.map { RedisClientConfiguration(url: $0, connections: subscribe ? 4 : 1) }
        self.init(tiered: TieredCache(TieredCacheConfiguration(redis: redis, subscribe: subscribe)))
    }

    enum Namespace {
        static let bars = "bars", backtest = "backtest", optimization = "optimize", indicator = "indicator"
    }

    /// Bars of `source` in `start…end`, from the cache or `load`.
    public func bars(dataVersion: String, start: Timestamp?, end: Timestamp?,
                     load: @escaping @Sendable () throws(AppError) -> BarSeries) async throws(AppError) -> BarSeries {
        let key = try Self.key(Namespace.bars, [dataVersion, Self.range(start, end)])
        return try await cached(key, codec: .bars) { try load() }
    }

    /// The result of `request` on the data at `dataVersion`, from the cache or `run`.
    public func backtest(_ request: BacktestRequest, dataVersion: String,
                         run: @escaping @Sendable () async throws(AppError) -> BacktestResult) async throws(AppError) -> BacktestResult {
        let key = try Self.key(Namespace.backtest, [CacheKeyMaterial.engine, dataVersion, CacheKeyMaterial.digest(CacheKeyMaterial.canonical(request))])
        return try await cached(key, codec: .backtestResult) { try await run() }
    }

    /// A grid or random search's result; `identity` lists every input besides the data (sets,
    /// objective, settings, sizing, top). Cancelled searches are not cached.
    public func optimization(identity: String, dataVersion: String,
                             run: @escaping @Sendable () async throws(AppError) -> OptimizationResult) async throws(AppError) -> OptimizationResult {
        let key = try Self.key(Namespace.optimization, [CacheKeyMaterial.engine, dataVersion, CacheKeyMaterial.digest(identity)])
        if let hit = await tiered.get(key, codec: .optimizationResult) { return hit }
        let result = try await run()
        if !result.cancelled { await tiered.set(key, result, codec: .optimizationResult) }
        return result
    }

    /// Every input of a grid or random search besides the data, as key material: the strategy,
    /// each set (keys sorted), settings, sizing, range, objective and how many are kept.
    public static func optimizationIdentity(strategy: String, sets: [[String: Double]], request: BacktestRequest,
                                            objective: Objective, keep: Int) -> String {
        let setsText = sets.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }.joined(separator: ";")
        return [strategy, setsText, CacheKeyMaterial.canonical(request),
                "\(objective.metric.rawValue),\(objective.maximize),\(objective.minimumTrades)", String(keep)].joined(separator: "|")
    }

    /// An indicator's full series (`spec` as `IndicatorSeries.compute` takes it) over the bars
    /// at `dataVersion` in `start…end`.
    public func indicator(_ spec: String, dataVersion: String, start: Timestamp?, end: Timestamp?,
                          compute: @escaping @Sendable () async throws(AppError) -> IndicatorSeries) async throws(AppError) -> IndicatorSeries {
        let key = try Self.key(Namespace.indicator, [dataVersion, Self.range(start, end), CacheKeyMaterial.digest(spec)])
        return try await cached(key, codec: .indicatorSeries) { try await compute() }
    }

    /// Writes this process's counts to the shared tier and closes its connections.
    public func shutdown() async {
        await tiered.flushStatistics()
        await tiered.shutdown()
    }

    private func cached<V: Sendable>(_ key: CacheKey, codec: CacheCodec<V>,
                                     load: @escaping @Sendable () async throws -> V) async throws(AppError) -> V {
        do {
            return try await tiered.value(for: key, codec: codec, load: load)
        } catch let e as AppError {
            throw e
        } catch {
            throw .runtime("\(error)")
        }
    }

    static func key(_ namespace: String, _ parts: [String]) throws(AppError) -> CacheKey {
        do { return try CacheKey(namespace: namespace, version: 1, parts: parts) } catch { throw .runtime("cache key: \(error)") }
    }

    static func range(_ start: Timestamp?, _ end: Timestamp?) -> String {
        "\(start.map { String($0.nanos) } ?? "all")_\(end.map { String($0.nanos) } ?? "all")"
    }
}

extension CacheCodec where Value == OptimizationResult {
    /// The objective, the counts and each ranked entry (index, parameters, score, metrics), framed.
    public static var optimizationResult: CacheCodec<OptimizationResult> {
        CacheCodec(
            encode: { o in
                var w = ByteWriter(capacity: 256 + o.ranked.count * 400)
                w.write(UInt8(1))
                w.write(o.objective.metric.rawValue); w.write(o.objective.maximize); w.write(Int64(o.objective.minimumTrades))
                w.write(Int64(o.evaluated)); w.write(Int64(o.invalid)); w.write(Int64(o.unqualified))
                w.write(UInt64(o.ranked.count))
                for e in o.ranked {
                    w.write(Int64(e.index)); w.write(e.score)
                    let parameters = e.parameters.sorted { $0.key < $1.key }
                    w.write(UInt32(parameters.count))
                    for (k, v) in parameters { w.write(k); w.write(v) }
                    RunRecordCoding.write(e.metrics, into: &w)
                }
                return CacheFrame.wrap(w.bytes)
            },
            decode: { bytes in
                guard let payload = CacheFrame.unwrap(bytes) else { return nil }
                var r = ByteReader(payload)
                guard r.read(UInt8.self) == 1, let metric = r.readString().flatMap(Objective.Metric.init(rawValue:)),
                      let maximize = r.readBool(), let minimum = r.read(Int64.self), let evaluated = r.read(Int64.self),
                      let invalid = r.read(Int64.self), let unqualified = r.read(Int64.self),
                      let count = r.read(UInt64.self), count <= 10_000_000 else { return nil }
                var ranked: [OptimizationEntry] = []
                for _ in 0..<count {
                    guard let index = r.read(Int64.self), let score = r.readDouble(), let n = r.read(UInt32.self), n <= 1_000 else { return nil }
                    var parameters: [String: Double] = [:]
                    for _ in 0..<n {
                        guard let k = r.readString(), let v = r.readDouble() else { return nil }
                        parameters[k] = v
                    }
                    guard let metrics = RunRecordCoding.readMetrics(&r) else { return nil }
                    ranked.append(OptimizationEntry(index: Int(index), parameters: parameters, score: score, metrics: metrics))
                }
                guard r.isAtEnd else { return nil }
                return OptimizationResult(objective: Objective(metric: metric, maximize: maximize, minimumTrades: Int(minimum)),
                                          ranked: ranked, evaluated: Int(evaluated), invalid: Int(invalid), unqualified: Int(unqualified),
                                          cancelled: false)
            },
            cost: { 512 + $0.ranked.count * 400 })
    }
}
