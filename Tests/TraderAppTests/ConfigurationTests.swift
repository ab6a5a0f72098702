import Foundation
import Testing
import TraderCore
@testable import TraderApp

/// The layered configuration: defaults < file < BOT_V2_* < the program's own variables, errors
/// that name the key and the place, secrets never shown, and `config set` keeping the file.
@Suite struct ConfigurationTests {
    func file(_ text: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("gpt-trader.yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func layersWithOrigins() throws {
        let path = try file("backtest:\n  capital: 50000\n  commission: 0.002\ndatabase:\n  url: sqlite:/tmp/x.sqlite\n")
        let config = try AppConfiguration.load(explicit: path, environment: ["BOT_V2_BACKTEST_COMMISSION": "0.005", "HOME": "/nonexistent"],
                                               currentDirectory: "/nonexistent")
        #expect(config.number("backtest.capital") == 50000)
        #expect(config.entries["backtest.capital"]?.origin == "\(path):2")
        #expect(config.number("backtest.commission") == 0.005)
        #expect(config.entries["backtest.commission"]?.origin == "BOT_V2_BACKTEST_COMMISSION")
        #expect(config.string("backtest.strategy") == "sma-crossover" && config.entries["backtest.strategy"]?.origin == "default")
        #expect(config.file == path)
        // The database URL is handed to the variable the program reads, unless that is set.
        #expect(config.aliasEnvironment(current: [:])["GPT_TRADER_DATABASE_URL"] == "sqlite:/tmp/x.sqlite")
        #expect(config.aliasEnvironment(current: ["GPT_TRADER_DATABASE_URL": "sqlite:/other"])["GPT_TRADER_DATABASE_URL"] == nil)
    }

    @Test func theProgramsOwnVariablesWinOverBotV2Ones() throws {
        let config = try AppConfiguration.load(environment: ["BOT_V2_CACHE_ENABLED": "true", "GPT_TRADER_CACHE": "off", "HOME": "/nonexistent"],
                                               currentDirectory: "/nonexistent")
        #expect(config.bool("cache.enabled") == false && config.entries["cache.enabled"]?.origin == "GPT_TRADER_CACHE")
    }

    @Test func findsTheProjectFileThenTheHomeFile() throws {
        let project = try file("backtest:\n  capital: 1234\n")
        let dir = (project as NSString).deletingLastPathComponent
        let config = try AppConfiguration.load(environment: ["GPT_TRADER_HOME": "/nonexistent"], currentDirectory: dir)
        #expect(config.file == project && config.number("backtest.capital") == 1234)
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-home-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try "optimize:\n  jobs: 3\n".write(toFile: home + "/config.yaml", atomically: true, encoding: .utf8)
        let fromHome = try AppConfiguration.load(environment: ["GPT_TRADER_HOME": home], currentDirectory: "/nonexistent")
        #expect(fromHome.integer("optimize.jobs") == 3 && fromHome.file == home + "/config.yaml")
    }

    @Test(arguments: [
        ("bakctest:\n  capital: 1\n", ":1:1: unknown section 'bakctest'; known: system, data"),
        ("backtest:\n  captial: 1\n", ":2:3: unknown key 'captial' in section backtest; known: strategy, capital"),
        ("backtest:\n  capital: lots\n", ":2:12: backtest.capital must be a number between 0.01 and 1e12, got \"lots\""),
        ("optimize:\n  method: annealing\n", ":2:11: optimize.method must be one of grid, random, walk-forward"),
        ("server:\n  port: 70000\n", ":2:9: server.port must be a whole number between 1 and 65535, got 70000"),
        ("backtest: [1, 2]\n", ":1:11: section backtest must be a mapping"),
        ("backtest:\n  capital: [1]\n", ":2:12: backtest.capital must be a number"),
        ("backtest:\n  capital: 1\n  capital: 2\n", "given twice"),
    ])
    func fileMistakesNameTheKeyAndPlace(_ text: String, _ message: String) throws {
        let path = try file(text)
        let error = #expect(throws: AppError.self) { try AppConfiguration.load(explicit: path, environment: [:], currentDirectory: "/") }
        #expect(error?.isUsage == true)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.message.hasPrefix(path) == true)
    }

    @Test func environmentMistakesNameTheVariable() {
        let typo = #expect(throws: AppError.self) { try AppConfiguration.load(environment: ["BOT_V2_BACKTEST_CAPTIAL": "5"], currentDirectory: "/nonexistent") }
        #expect(typo?.message.hasPrefix("BOT_V2_BACKTEST_CAPTIAL: not a configuration key") == true)
        let bad = #expect(throws: AppError.self) { try AppConfiguration.load(environment: ["BOT_V2_SERVER_PORT": "http"], currentDirectory: "/nonexistent") }
        #expect(bad?.message.hasPrefix("BOT_V2_SERVER_PORT: server.port must be a whole number") == true)
        // Another program's BOT_V2_ variable is none of our business.
        #expect(throws: Never.self) { try AppConfiguration.load(environment: ["BOT_V2_OTHER_THING": "x"], currentDirectory: "/nonexistent") }
    }

    @Test func secretsAreNeverShown() throws {
        let path = try file("database:\n  url: postgres://me:hunter2@db:5432/trading\npaper_trade:\n  api_key: sk-live-123\n")
        let config = try AppConfiguration.load(explicit: path, environment: [:], currentDirectory: "/")
        let url = try #require(config.entries["database.url"])
        #expect(url.key.display(url.value) == "postgres://me:***@db:5432/trading")
        let key = try #require(config.entries["paper_trade.api_key"])
        #expect(key.key.display(key.value) == "***")
        #expect(config.ordered.allSatisfy { !$0.key.display($0.value).contains("hunter2") && !$0.key.display($0.value).contains("sk-live") })
    }

    @Test func setKeepsTheRestOfTheFile() throws {
        let capital = try #require(ConfigSchema.key("backtest.capital"))
        let url = try #require(ConfigSchema.key("database.url"))
        let original = "# my settings\nbacktest:\n  # how much\n  capital: 1000\n  commission: 0.002\n\nserver:\n  port: 9000\n"
        let changed = try ConfigFileEditor.setting(capital, to: .number(5000), in: original)
        #expect(changed == "# my settings\nbacktest:\n  # how much\n  capital: 5000\n  commission: 0.002\n\nserver:\n  port: 9000\n")
        let added = try ConfigFileEditor.setting(url, to: .string("sqlite:a b.sqlite"), in: changed)
        #expect(added.hasSuffix("server:\n  port: 9000\n\ndatabase:\n  url: \"sqlite:a b.sqlite\"\n"))
        let parsed = try AppConfiguration.parsing(added, file: "x.yaml")
        #expect(parsed.number("backtest.capital") == 5000 && parsed.string("database.url") == "sqlite:a b.sqlite" && parsed.integer("server.port") == 9000)
        // The template has every key, commented; setting one uncomments it in place.
        let template = ConfigFileEditor.template()
        #expect(try AppConfiguration.parsing(template, file: "t.yaml").ordered.allSatisfy { $0.origin == "default" })
        let fromTemplate = try ConfigFileEditor.setting(capital, to: .number(7), in: template)
        #expect(try AppConfiguration.parsing(fromTemplate, file: "t.yaml").number("backtest.capital") == 7)
        #expect(fromTemplate.components(separatedBy: "\n").count == template.components(separatedBy: "\n").count)
        #expect(throws: AppError.self) { try ConfigFileEditor.setting(capital, to: .number(1), in: "backtest: {capital: 3}\n") }
    }
}
