import Foundation
import TestSupport
import Testing
import TraderCore

/// `gpt-trader config` and the layers through the executable: file < BOT_V2_* < flags, the
/// database chosen by the file, located errors, secrets never printed.
@Suite struct ConfigCommandTests {
    let cli = CLIProcessTests()

    func home() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-cli-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func capital(_ args: [String], _ env: [String: String]) throws -> Double? {
        let out = try cli.run(["backtest", "--no-save", "--output", "json"] + args, environment: env)
        guard out.status == 0, case .object(let doc) = try JSONValue(parsing: out.stdout),
              case .object(let settings)? = doc.first(where: { $0.0 == "settings" })?.1,
              let value = settings.first(where: { $0.0 == "capital" })?.1 else { Issue.record("\(out.stderr)"); return nil }
        switch value {
        case .number(let d): return d
        case .integer(let i): return Double(i)
        default: return nil
        }
    }

    @Test func fileThenEnvironmentThenFlag() throws {
        let home = try home()
        let env = ["GPT_TRADER_HOME": home]
        #expect(try cli.run(["config", "init"], environment: env).status == 0)
        #expect(try cli.run(["config", "set", "backtest.capital", "50000"], environment: env).status == 0)
        #expect(try capital([], env) == 50000)
        #expect(try capital([], env.merging(["BOT_V2_BACKTEST_CAPITAL": "20000"]) { $1 }) == 20000)
        #expect(try capital(["--capital", "30000"], env.merging(["BOT_V2_BACKTEST_CAPITAL": "20000"]) { $1 }) == 30000)
        let get = try cli.run(["config", "get", "backtest.capital"], environment: env)
        #expect(get.stdout == "50000\n")
        let show = try cli.run(["config", "show", "--output", "json"], environment: env.merging(["BOT_V2_BACKTEST_COMMISSION": "0.003"]) { $1 })
        #expect(show.stdout.contains("\"backtest.capital\": \"\(home)/config.yaml:"))
        #expect(show.stdout.contains("\"backtest.commission\": \"BOT_V2_BACKTEST_COMMISSION\""))
        // `--help` shows the effective default.
        #expect(try cli.run(["backtest", "--help"], environment: env).stdout.contains(" 50000)"))
    }

    /// The config file chooses the run database: runs land in the file it names.
    @Test func theFileSelectsTheDatabase() throws {
        let home = try home()
        let db = home + "/team.sqlite"
        let config = try cli.temporaryFile("gpt-trader.yaml", "database:\n  url: \"sqlite:\(db)\"\n")
        let run = try cli.run(["--config", config, "backtest", "--output", "quiet"], environment: ["GPT_TRADER_HOME": home])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: db))
        #expect(!FileManager.default.fileExists(atPath: home + "/runs.sqlite"))
        let list = try cli.run(["runs", "list", "--config", config, "--output", "json"], environment: ["GPT_TRADER_HOME": home])
        #expect(list.status == 0 && list.stdout.contains("sma-crossover"))
    }

    @Test func badConfigIsOneLocatedErrorForEveryCommand() throws {
        let config = try cli.temporaryFile("gpt-trader.yaml", "backtest:\n  capital: 100\n  commision: 0.1\n")
        for args in [["backtest"], ["config", "validate"], ["strategies"]] {
            let out = try cli.run(["--config", config] + args)
            #expect(out.status == 2)
            #expect(out.stderr == "error: \(config):3:3: unknown key 'commision' in section backtest; known: strategy, capital, commission, slippage_bps, fill\n")
        }
        let env = try cli.run(["config", "validate"], environment: ["BOT_V2_SERVER_PORT": "eighty"])
        #expect(env.status == 2 && env.stderr.contains("BOT_V2_SERVER_PORT: server.port must be a whole number between 1 and 65535"))
        let good = try cli.temporaryFile("gpt-trader.yaml", "backtest:\n  capital: 100\n")
        let ok = try cli.run(["config", "validate", "--config", good])
        #expect(ok.status == 0 && ok.stdout.contains("ok: \(good) (1 set in the file"))
    }

    @Test func secretsAreNeverPrinted() throws {
        let home = try home()
        let env = ["GPT_TRADER_HOME": home]
        #expect(try cli.run(["config", "set", "database.url", "postgres://me:hunter2@127.0.0.1:1/x"], environment: env).stdout.contains("me:***@"))
        #expect(try cli.run(["config", "set", "server.api_key", "sk-secret-9"], environment: env).status == 0)
        for args in [["config", "show"], ["config", "show", "--output", "json"], ["config", "get", "database.url"], ["config", "get", "server.api_key"]] {
            let out = try cli.run(args, environment: env)
            #expect(out.status == 0)
            #expect(!out.stdout.contains("hunter2") && !out.stdout.contains("sk-secret-9"), "\(args)")
        }
        #expect(try cli.run(["config", "get", "server.api_key"], environment: env).stdout == "***\n")
        // The value is in the file, for the program to use.
        #expect(try String(contentsOfFile: home + "/config.yaml", encoding: .utf8).contains("sk-secret-9"))
    }

    @Test func setRefusesBadValuesAndKeysAndLeavesTheFile() throws {
        let home = try home()
        let env = ["GPT_TRADER_HOME": home]
        #expect(try cli.run(["config", "set", "backtest.capital", "100"], environment: env).status == 0)
        let before = try String(contentsOfFile: home + "/config.yaml", encoding: .utf8)
        let bad = try cli.run(["config", "set", "backtest.capital", "lots"], environment: env)
        #expect(bad.status == 2 && bad.stderr.contains("backtest.capital must be a number"))
        let unknown = try cli.run(["config", "set", "backtest.captial", "1"], environment: env)
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown configuration key 'backtest.captial'; keys of backtest: backtest.strategy"))
        #expect(try String(contentsOfFile: home + "/config.yaml", encoding: .utf8) == before)
        let again = try cli.run(["config", "init"], environment: env)
        #expect(again.status == 2 && again.stderr.contains("exists; use --force"))
    }
}
