import Foundation
import Testing

/// `gpt-trader data ...` and backtests reading the bar store, run as a user would.
extension CLIProcessTests {
    /// A fresh store directory (never the checkout's data/store).
    func storeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func dataImportListInfo() throws {
        let store = try storeDirectory()
        let imported = try run(["data", "import", "data/sample/GOOG.csv", "--symbol", "goog", "--store", store])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported 2,148 bars of GOOG (1d) 2004-08-19 … 2013-03-01 into \(store)/GOOG_1d.gtbars"))
        // The store directory can also come from the environment; the symbol from the file name.
        let eur = try run(["data", "import", "data/sample/EURUSD.csv", "--output", "json"], environment: ["GPT_TRADER_STORE_DIR": store])
        #expect(eur.status == 0, "\(eur.stderr)")
        let eurDoc = try #require(try json(eur.stdout) as? [String: Any])
        #expect(eurDoc["symbol"] as? String == "EURUSD" && eurDoc["timeframe"] as? String == "1h" && eurDoc["bars"] as? Int == 5000)

        let list = try run(["data", "list", "--store", store, "--output", "json"])
        #expect(list.status == 0)
        let rows = try #require(try json(list.stdout) as? [[String: Any]])
        #expect(rows.compactMap { $0["symbol"] as? String } == ["EURUSD", "GOOG"])
        #expect(rows[1]["bars"] as? Int == 2148 && rows[1]["first"] as? String == "2004-08-19" && rows[1]["last"] as? String == "2013-03-01")
        #expect((rows[1]["bytes"] as? Int ?? 0) > 2148 * 48)
        let table = try run(["data", "list", "--store", store])
        #expect(table.stdout.contains("Symbol") && table.stdout.contains("GOOG") && table.stdout.contains("2,148"))

        let info = try run(["data", "info", "GOOG", "--store", store])
        #expect(info.status == 0)
        for text in ["GOOG", "1d", "2,148", "2004-08-19", "2013-03-01", "gtbars version 1", "Checksums  ok"] {
            #expect(info.stdout.contains(text), "missing \(text): \(info.stdout)")
        }
        let removed = try run(["data", "remove", "EURUSD", "--store", store])
        #expect(removed.status == 0 && removed.stdout.contains("EURUSD_1h.gtbars"))
        let after = try run(["data", "info", "EURUSD", "--store", store])
        #expect(after.status == 2 && after.stderr == "error: no stored bars for 'EURUSD' in \(store); stored: GOOG\n")
    }

    @Test func dataGenerateMatchesSyntheticBacktest() throws {
        let store = try storeDirectory()
        let generated = try run(["data", "generate", "--symbol", "SYNTH", "--bars", "150000", "--timeframe", "1d", "--seed", "42",
                                 "--store", store, "--output", "json"])
        // 150,000 daily bars run past 2262: refused before anything is written.
        #expect(generated.status == 2 && generated.stderr.contains("run past"), "\(generated.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store) == [])

        // 70,000 bars are two 64K chunks: the streamed file must be the one-call series.
        let ok = try run(["data", "generate", "--symbol", "SYNTH", "--bars", "70000", "--timeframe", "1h", "--store", store])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.hasPrefix("generated 70,000 bars of SYNTH (1h) 2000-01-03 …"))
        let fromStore = try run(["backtest", "--symbol", "SYNTH", "--strategy", "momentum", "--output", "json", "--no-save"], environment: ["GPT_TRADER_STORE_DIR": store])
        let direct = try run(["backtest", "--synthetic", "70000", "--timeframe", "1h", "--strategy", "momentum", "--output", "json", "--no-save"])
        #expect(fromStore.status == 0 && direct.status == 0, "\(fromStore.stderr) \(direct.stderr)")
        #expect(fromStore.stdout == direct.stdout)
        let doc = try #require(try json(fromStore.stdout) as? [String: Any])
        #expect((doc["metrics"] as? [String: Any])?["bars"] as? Int == 70000)

        let bad = try run(["data", "generate", "--symbol", "X", "--bars", "0", "--store", store])
        #expect(bad.status == 2)
        let badSeed = try run(["data", "generate", "--symbol", "X", "--bars", "10", "--seed", "abc", "--store", store])
        #expect(badSeed.status == 2)
    }

    @Test func backtestReadsAStoreOnlySymbolWithItsDateRange() throws {
        let store = try storeDirectory()
        // ACME has no CSV anywhere: only the store knows it.
        let missing = try run(["backtest", "--symbol", "ACME"], environment: ["GPT_TRADER_STORE_DIR": store])
        #expect(missing.status == 2 && missing.stderr.contains("no data for symbol 'ACME'"))
        #expect(try run(["data", "import", "data/sample/GOOG.csv", "--symbol", "ACME", "--store", store, "--output", "quiet"]).status == 0)
        let env = ["GPT_TRADER_STORE_DIR": store]
        let r = try run(["backtest", "--symbol", "ACME", "--fast", "10", "--slow", "20", "--commission", "0.002", "--output", "json"], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try json(r.stdout) as? [String: Any])
        #expect(doc["symbol"] as? String == "ACME")
        let metrics = try #require(doc["metrics"] as? [String: Any])
        // The GOOG figures (46 trades, final equity 63341.19136 as in backtesting.py): same bars, same result.
        #expect(metrics["trades"] as? Int == 46)
        #expect(abs((metrics["equity_final"] as? Double ?? 0) - 63341.19135999998) < 1e-6)

        let ranged = try run(["backtest", "--symbol", "acme", "--start", "2010-01-01", "--end", "2010-12-31", "--output", "json"], environment: env)
        let rangedMetrics = try #require((try json(ranged.stdout) as? [String: Any])?["metrics"] as? [String: Any])
        #expect(rangedMetrics["start"] as? String == "2010-01-04" && rangedMetrics["end"] as? String == "2010-12-31")
        #expect(rangedMetrics["bars"] as? Int == 252)
        let empty = try run(["backtest", "--symbol", "ACME", "--start", "2030-01-01"], environment: env)
        #expect(empty.status == 2)
        #expect(empty.stderr == "error: no bars for ACME between 2030-01-01 and the end; the data covers 2004-08-19 … 2013-03-01\n")
    }

    @Test func corruptAndMissingFilesExitWithTwo() throws {
        let store = try storeDirectory()
        let missing = try run(["data", "import", "/nonexistent/prices.csv", "--symbol", "X", "--store", store])
        #expect(missing.status == 2)
        #expect(missing.stderr == "error: /nonexistent/prices.csv: no such file\n")
        let badCSV = try temporaryFile("BAD.csv", "Date,Open,High,Low,Close,Volume\n2020-01-01,10,11,9,10,100\n2020-01-02,10,8,9,10,100\n")
        let malformed = try run(["data", "import", badCSV, "--store", store])
        #expect(malformed.status == 2 && malformed.stderr.contains("BAD.csv:3:"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: store) == [])

        #expect(try run(["data", "import", "data/sample/GOOG.csv", "--store", store, "--output", "quiet"]).status == 0)
        let path = store + "/GOOG_1d.gtbars"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.removeLast(100)  // truncated
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let env = ["GPT_TRADER_STORE_DIR": store]
        for args in [["data", "info", "GOOG"], ["data", "list"], ["backtest", "--symbol", "GOOG"]] {
            let r = try run(args, environment: env)
            #expect(r.status == 2, "\(args) exited \(r.status)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.hasPrefix("error: \(path): corrupt bar store file: truncated"), "\(args): \(r.stderr)")
        }
        // A flipped bit in a column passes the header checks; `data info` hashes the columns.
        #expect(try run(["data", "import", "data/sample/GOOG.csv", "--store", store, "--output", "quiet"]).status == 0)
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count - 3] ^= 0x10
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let info = try run(["data", "info", "GOOG", "--store", store])
        #expect(info.status == 2 && info.stderr.contains("volume column checksum mismatch"), "\(info.stderr)")
        #expect(try run(["data", "info", "GOOG", "--store", store, "--no-verify"]).status == 0)
    }

    @Test func dataHelpListsTheSubcommands() throws {
        let r = try run(["data", "--help"])
        #expect(r.status == 0)
        for sub in ["import", "list", "info", "generate", "remove"] { #expect(r.stdout.contains(sub)) }
        #expect(try run(["--help"]).stdout.contains("data"))
    }
}
