import Foundation
import Testing

/// `gpt-trader select` and `backtest --strategy auto`, run as a user would.
extension CLIProcessTests {
    @Test func selectRanksStrategiesAndSavesAModel() throws {
        let table = try run(["select", "GOOG", "--top", "3"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("Pred. Sharpe") && table.stdout.contains("walk-forward"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gpt-trader-select-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("model.json").path
        let trained = try run(["select", "GOOG", "--top", "6", "--output", "json", "--save", path])
        #expect(trained.status == 0, "\(trained.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(trained.stdout.utf8)) as? [String: Any])
        let ranking = try #require(doc["ranking"] as? [[String: Any]])
        #expect(ranking.count == 6)
        let sharpes = ranking.compactMap { $0["predicted_sharpe"] as? Double }
        #expect(sharpes == sharpes.sorted(by: >))
        #expect(ranking.allSatisfy { ($0["confidence"] as? Double).map { $0 >= 0 && $0 <= 1 } ?? false })
        // The saved model ranks the same bars the same way.
        let loaded = try run(["select", "GOOG", "--top", "6", "--output", "json", "--model", path])
        #expect(loaded.status == 0, "\(loaded.stderr)")
        let again = try #require(try JSONSerialization.jsonObject(with: Data(loaded.stdout.utf8)) as? [String: Any])
        #expect((again["ranking"] as? [[String: Any]])?.compactMap { $0["strategy"] as? String } == ranking.compactMap { $0["strategy"] as? String })
        // Not a model: one line, exit 2, naming the file.
        try "{\"hello\": 1}".write(toFile: path, atomically: true, encoding: .utf8)
        let bad = try run(["select", "GOOG", "--model", path])
        #expect(bad.status == 2 && bad.stderr.hasPrefix("error: \(path): "), "\(bad.stderr)")
        let badOption = try run(["select", "GOOG", "--lambda", "0"])
        #expect(badOption.status == 2 && badOption.stderr.contains("--lambda"), "\(badOption.stderr)")
    }

    @Test func autoBacktestIsComparedWithEachStrategy() throws {
        let r = try run(["backtest", "--strategy", "auto", "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let comparison = try #require(doc["comparison"] as? [[String: Any]])
        #expect(comparison.count == 7)
        let selection = try #require(doc["selection"] as? [String: Any])
        #expect((selection["decisions"] as? Int ?? 0) > 50)
        let synthetic = try run(["backtest", "--strategy", "auto", "--synthetic", "3000", "--output", "quiet"])
        #expect(synthetic.status == 0, "\(synthetic.stderr)")
    }
}
