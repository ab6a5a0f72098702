import Foundation
import TraderData
public import TraderAnalysis
public import TraderCore
public import TraderEngine
public import TraderStrategies

/// What a user asks a portfolio backtest for.
public struct PortfolioRequest: Sendable {
    /// One source per symbol (symbols from the data directories, files, or synthetic series).
    public var sources: [DataSource]
    public var start: Timestamp?
    public var end: Timestamp?
    /// A shipped profile's name (`conservative`, `default`, `aggressive`) or a profile file.
    public var profile: String
    /// Overrides the profile's account type when set.
    public var accountType: AccountType?
    /// The strategy every symbol runs; nil for the first strategy the starting tier allows.
    public var strategy: StrategySpec?
    public var settings: PortfolioSettings

    public init(sources: [DataSource], start: Timestamp? = nil, end: Timestamp? = nil, profile: String = "default",
                accountType: AccountType? = nil, strategy: StrategySpec? = nil, settings: PortfolioSettings) {
        self.sources = sources
        self.start = start
        self.end = end
        self.profile = profile
        self.accountType = accountType
        self.strategy = strategy
        self.settings = settings
    }
}

/// Runs the adaptive portfolio for the CLI, the API and workflows: finds and validates the
/// profile, loads every symbol's bars through `MarketDataLocator`, runs `PortfolioBacktester`.
///
/// A profile given by name is looked up as `NAME.json` in, in order: `$GPT_TRADER_PROFILE_DIR`,
/// `./config/profiles`, and the `config/profiles` folder of the checkout the executable was built
/// in (so `swift run gpt-trader portfolio` works from any directory). Anything with a `/` or
/// ending in `.json` is a file path.
public struct PortfolioService: Sendable {
    public let data: MarketDataLocator
    /// Folders searched for profiles given by name.
    public let profileDirectories: [String]

    public init(data: MarketDataLocator = MarketDataLocator()) {
        self.init(data: data, environment: ProcessInfo.processInfo.environment)
    }

    public init(data: MarketDataLocator, environment: [String: String]) {
        self.data = data
        var dirs: [String] = []
        if let dir = environment["GPT_TRADER_PROFILE_DIR"], !dir.isEmpty { dirs.append(dir) }
        dirs.append("config/profiles")
        // .build/<config>/gpt-trader → checkout root.
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("config/profiles").path
            if FileManager.default.fileExists(atPath: candidate + "/default.json") { dirs.append(candidate); break }
            dir = dir.deletingLastPathComponent()
        }
        var seen = Set<String>()
        profileDirectories = dirs.filter { seen.insert($0).inserted }
    }

    /// The profile `nameOrPath`, validated; errors name the file and the key (exit 2).
    public func profile(_ nameOrPath: String) throws(AppError) -> PortfolioProfile {
        let path: String
        if nameOrPath.contains("/") || nameOrPath.lowercased().hasSuffix(".json") {
            path = nameOrPath
        } else {
            guard let found = profileDirectories.lazy.map({ "\($0)/\(nameOrPath).json" }).first(where: FileManager.default.fileExists) else {
                throw .usage("unknown profile '\(nameOrPath)'; choose \(PortfolioProfile.builtInNames.joined(separator: ", ")) or a profile file (looked in \(profileDirectories.joined(separator: ", ")))")
            }
            path = found
        }
        let bytes: [UInt8]
        do { bytes = try InputFile.readBytes(path: path, limit: InputFile.maxTextBytes) } catch { throw AppError(error, context: "profile") }
        do {
            return try PortfolioProfile.decode(Data(bytes), file: path)
        } catch {
            throw .usage(error.description)
        }
    }

    /// Loads every source's bars in the date range, in order.
    public func loadBars(_ sources: [DataSource], start: Timestamp? = nil, end: Timestamp? = nil) throws(AppError) -> [BarSeries] {
        guard !sources.isEmpty else { throw .usage("a portfolio needs at least one symbol") }
        var out: [BarSeries] = []
        for source in sources { out.append(try data.load(source, start: start, end: end)) }
        return out
    }

    /// Runs `request` on already loaded `bars` with an already loaded `profile`.
    public func run(_ request: PortfolioRequest, profile: PortfolioProfile, bars: [BarSeries]) throws(AppError) -> PortfolioBacktestResult {
        let chosen = request.accountType.map { profile.with(accountType: $0) } ?? profile
        do {
            let spec = try request.strategy ?? PortfolioBacktester.defaultStrategy(profile: chosen, capital: request.settings.initialCapital)
            return try PortfolioBacktester.run(bars, strategy: spec, profile: chosen, settings: request.settings)
        } catch let e as DomainError {
            throw .usage(e.description)
        } catch let e as StrategyError {
            throw .usage(e.description)
        } catch {
            throw .runtime("portfolio backtest failed: \(error)")
        }
    }

    /// Loads the profile and the bars, then runs.
    public func run(_ request: PortfolioRequest) throws(AppError) -> PortfolioBacktestResult {
        let profile = try profile(request.profile)
        return try run(request, profile: profile, bars: try loadBars(request.sources, start: request.start, end: request.end))
    }
}
