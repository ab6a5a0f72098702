import Foundation
import Testing

/// `gpt-trader backtest --stream`, run as a user would.
extension CLIProcessTests {
    /// Streaming from the store and from the generator gives the report of the in-memory run
    /// (to 1e-9: only the order of additions differs), in chunks.
    @Test func streamingBacktestMatchesInMemory() throws {
        let store = try storeDirectory()
        let generated = try run(["data", "generate", "--symbol", "SYNTH", "--bars", "150000", "--timeframe", "1m", "--store", store])
        #expect(generated.status == 0, "\(generated.stderr)")
        let args = ["--strategy", "sma-crossover", "--fast", "10", "--slow", "20", "--output", "json"]
        // --no-save: a saved run's JSON carries its run_id; a streamed one is not saved.
        let inMemory = try run(["backtest", "--synthetic", "150000", "--timeframe", "1m", "--no-save"] + args)
        let fromStore = try run(["backtest", "--symbol", "SYNTH", "--stream"] + args, environment: ["GPT_TRADER_STORE_DIR": store])
        let fromGenerator = try run(["backtest", "--synthetic", "150000", "--timeframe", "1m", "--stream"] + args)
        for r in [inMemory, fromStore, fromGenerator] { #expect(r.status == 0, "\(r.stderr)") }
        let want = try #require((try json(inMemory.stdout) as? [String: Any])?["metrics"] as? [String: Any])
        #expect((want["trades"] as? Int ?? 0) > 1000)
        for streamed in [fromStore, fromGenerator] {
            let got = try #require((try json(streamed.stdout) as? [String: Any])?["metrics"] as? [String: Any])
            #expect(Set(got.keys) == Set(want.keys))
            for (key, value) in want {
                if let w = value as? Double, let g = got[key] as? Double {
                    #expect(abs(w - g) <= 1e-9 * max(abs(w), 1e-9), "\(key): \(g) vs \(w)")
                } else {
                    #expect(String(describing: got[key] ?? "missing") == String(describing: value), "\(key)")
                }
            }
        }
        let table = try run(["backtest", "--symbol", "SYNTH", "--stream"], environment: ["GPT_TRADER_STORE_DIR": store])
        #expect(table.status == 0 && table.stdout.contains("Sharpe Ratio") && table.stdout.contains("streamed in 3 chunks"))
    }

    @Test func streamingRejectsWhatItCannotDo() throws {
        let csv = try run(["backtest", "--data", "data/sample/GOOG.csv", "--stream"])
        #expect(csv.status == 2 && csv.stderr.contains("gpt-trader data import"), "\(csv.stderr)")
        let trades = try run(["backtest", "--synthetic", "1000", "--stream", "--trades"])
        #expect(trades.status == 2 && trades.stderr.contains("--stream keeps no trade list"), "\(trades.stderr)")
        let store = try storeDirectory()
        let missing = try run(["backtest", "--symbol", "NOPE", "--stream"], environment: ["GPT_TRADER_STORE_DIR": store])
        #expect(missing.status == 2 && missing.stderr.contains("'NOPE' is not in it"), "\(missing.stderr)")
    }
}
