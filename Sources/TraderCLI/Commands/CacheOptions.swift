import ArgumentParser
import TraderApp
import TraderCache

/// `--cache-url` and `--no-cache`, over `GPT_TRADER_CACHE_URL` / `GPT_TRADER_CACHE`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache-url"),
            help: ArgumentHelp("Share results through Redis (default: $GPT_TRADER_CACHE_URL; none: this process only).", valueName: "redis://host:port/db"))
    var cacheURL: String?
    @Flag(name: .customLong("no-cache"), help: "Compute everything again; read and write no cache.") var noCache = false

    func settings() throws -> CacheSettings {
        var settings = try CacheSettings.fromEnvironment()
        if noCache { settings.enabled = false }
        if let cacheURL {
            do { settings.redis = try RedisURL(parsing: cacheURL) } catch { throw ValidationError("--cache-url: \(error.description)") }
        }
        return settings
    }

    /// The cache for this run (nil with `--no-cache`). Nothing connects until it is first used.
    func cache() throws -> AppCache? { AppCache(try settings()) }
}

extension AppCache {
    /// Runs `body` with the cache, then flushes the statistics and closes connections (also when
    /// `body` throws).
    static func using<T>(_ cache: AppCache?, _ body: () async throws -> T) async throws -> T {
        do {
            let value = try await body()
            await cache?.shutdown()
            return value
        } catch {
            await cache?.shutdown()
            throw error
        }
    }
}
