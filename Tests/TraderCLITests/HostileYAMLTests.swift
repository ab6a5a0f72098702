import Foundation
import TestSupport
import Testing

/// Hostile configuration and workflow files through the executable: exit 2 with one located line,
/// at once (no growing memory, no hang on a device or FIFO, no crash on deep nesting).
@Suite struct HostileYAMLTests {
    let cli = CLIProcessTests()

    static let billionLaughs: String = {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text
    }()

    @Test func configFilesAreBounded() throws {
        let laughs = try cli.temporaryFile("laughs.yaml", Self.billionLaughs)
        let out = try cli.run(["--config", laughs, "config", "validate"])
        #expect(out.status == 2)
        #expect(out.stderr.hasPrefix("error: \(laughs):5:") && out.stderr.hasSuffix("more than 100000 values with aliases expanded (the limit of a YAML file)\n"), "\(out.stderr)")
        // 70 levels are refused where the 65th opens; 100,000 (past libyaml's own bound) at the start.
        for (depth, column) in [(70, 65), (100_000, 1)] {
            let deep = try cli.temporaryFile("deep.yaml", String(repeating: "[", count: depth))
            let deepOut = try cli.run(["--config", deep, "backtest"])
            #expect(deepOut.status == 2)
            #expect(deepOut.stderr == "error: \(deep):1:\(column): values nested deeper than 64 levels (the limit of a YAML file)\n", "\(deepOut.stderr)")
        }
        let zero = try cli.run(["--config", "/dev/zero", "config", "validate"])
        #expect(zero.status == 2)
        #expect(zero.stderr == "error: cannot read config file /dev/zero: not a regular file (a character device)\n", "\(zero.stderr)")
    }

    @Test func workflowFilesAreBounded() throws {
        let laughs = try cli.temporaryFile("laughs.yaml", Self.billionLaughs)
        let out = try cli.run(["workflow", "run", laughs, "--no-save"])
        #expect(out.status == 2)
        #expect(out.stderr.hasPrefix("error: \(laughs):5:") && out.stderr.hasSuffix("(the limit of a YAML file)\n"), "\(out.stderr)")
        let deep = try cli.temporaryFile("deep.yaml", "name: deep\nsteps: " + String(repeating: "[", count: 100_000))
        let deepOut = try cli.run(["workflow", "run", deep, "--no-save"])
        #expect(deepOut.status == 2 && deepOut.stderr.contains("\(deep):2:") && deepOut.stderr.hasSuffix(": values nested deeper than 64 levels (the limit of a YAML file)\n"),
                "\(deepOut.stderr)")
        let zero = try cli.run(["workflow", "run", "/dev/zero", "--no-save"])
        #expect(zero.status == 2 && zero.stderr == "error: cannot read workflow file /dev/zero: not a regular file (a character device)\n")
    }

    /// `config set` on a file it cannot read refuses, rather than replacing it with one key.
    @Test func configSetLeavesAnUnreadableFile() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-hostile-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let file = home + "/config.yaml"
        let big = "# " + String(repeating: "x", count: 2 << 20) + "\n"
        try big.write(toFile: file, atomically: true, encoding: .utf8)
        let out = try cli.run(["config", "set", "backtest.capital", "100"], environment: ["GPT_TRADER_HOME": home])
        #expect(out.status == 2)
        #expect(out.stderr.contains("cannot read config file \(file): \(big.utf8.count) bytes, larger than 1 MiB"), "\(out.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == big)
    }
}
