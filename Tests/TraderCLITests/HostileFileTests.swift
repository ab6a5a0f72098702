import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Hostile input files: what is not a regular file, what is too long, what quotes garbage, what
/// makes no sense as a bar. Each is refused with one short line and exit 2, without a backtrace
/// and without growing memory or leaving files behind.
extension CLIProcessTests {
    /// Checks a one-line refusal: exit 2, exactly `message` (or a line starting with it).
    func expectRefused(_ r: Output, _ message: String, prefix: Bool = false, _ what: String = "") {
        #expect(r.status == 2, "\(what): exit \(r.status): \(r.stderr)")
        if prefix {
            #expect(r.stderr.hasPrefix(message) && r.stderr.split(separator: "\n").count == 1, "\(what): \(r.stderr)")
        } else {
            #expect(r.stderr == message + "\n", "\(what): \(r.stderr)")
        }
        #expect(r.stderr.utf8.count < 400, "\(what): \(r.stderr.utf8.count) bytes of error")
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrace"), "\(what)")
    }

    @Test func devicesFIFOsAndFoldersAreNotDataFiles() throws {
        let store = try storeDirectory()
        expectRefused(try run(["backtest", "--data", "/dev/zero"]), "error: /dev/zero: not a regular file (a character device)")
        expectRefused(try run(["data", "import", "/dev/zero", "--symbol", "Z", "--store", store]),
                      "error: /dev/zero: not a regular file (a character device)")
        let fifo = store + "/prices.csv"
        #expect(mkfifo(fifo, 0o644) == 0)
        defer { unlink(fifo) }
        // Opening a FIFO would wait for a writer: it is refused without blocking.
        expectRefused(try run(["data", "import", fifo, "--symbol", "F", "--store", store + "/x"]), "error: \(fifo): not a regular file (a FIFO)")
        let folder = try storeDirectory()
        expectRefused(try run(["data", "import", folder, "--symbol", "D", "--store", store + "/x"]), "error: \(folder): not a regular file (a directory)")
        // --data FOLDER is a batch (every CSV in it), as before.
        #expect(try run(["backtest", "--data", folder]).stderr.contains("no .csv files in this folder"))
    }

    @Test func foldersGivenAsOutputOrConfigFilesSaySo() throws {
        let folder = try storeDirectory()
        expectRefused(try run(["backtest", "--equity-csv", folder, "--no-save"]), "error: equity curve: \(folder): not a regular file (a directory)")
        expectRefused(try run(["optimize", "--param", "fast=5:10:5", "--param", "slow=20:30:10", "--heatmap", folder, "--no-save"]),
                      "error: heat map: \(folder): not a regular file (a directory)")
        expectRefused(try run(["backtest", "--config", folder]), "error: cannot read config file \(folder): not a regular file (a directory)")
        expectRefused(try run(["backtest", "--config", "/dev/zero"]), "error: cannot read config file /dev/zero: not a regular file (a character device)")
        expectRefused(try run(["select", "--synthetic", "3000", "--save", folder]), "error: selection model: \(folder): not a regular file (a directory)")
        expectRefused(try run(["select", "--model", folder]), "error: selection model: \(folder): not a regular file (a directory)")
        expectRefused(try run(["portfolio", "--profile", folder]), "error: profile: \(folder): not a regular file (a directory)")
        expectRefused(try run(["workflow", "run", folder]), "error: cannot read workflow file \(folder): not a regular file (a directory)")
        expectRefused(try run(["backtest", "--log-file", folder, "--no-save"]), "error: --log-file: \(folder): not a regular file (a directory)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [], "a temporary file was left in the folder")
        // A writable path still works, through the same atomic writer.
        let csv = folder + "/equity.csv"
        let ok = try run(["backtest", "--equity-csv", csv, "--no-save", "--output", "quiet"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try String(contentsOfFile: csv, encoding: .utf8).hasPrefix("Date,Equity,DrawdownPct\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["equity.csv"])
    }

    @Test func longLinesAreRefusedByLineNumber() throws {
        let header = "Date,Open,High,Low,Close,Volume\n"
        let longHeader = try temporaryFile("H.csv", "Date,Open,High,Low,Close," + String(repeating: "V", count: 70_000) + "\n2020-01-02,1,2,0.5,1.5,10\n")
        expectRefused(try run(["backtest", "--data", longHeader]), "error: \(longHeader):1: line is longer than 65536 bytes")
        let longRow = try temporaryFile("R.csv", header + "2020-01-02,1,2,0.5,1.5,10\n2020-01-03,1,2,0.5," + String(repeating: "1", count: 10_000_000) + ",10\n")
        expectRefused(try run(["backtest", "--data", longRow]), "error: \(longRow):3: line is longer than 65536 bytes")
        let longText = try temporaryFile("T.csv", header + "2020-01-02,1,2,0.5," + String(repeating: "x", count: 100_000) + ",10\n")
        expectRefused(try run(["backtest", "--data", longText]), "error: \(longText):2: line is longer than 65536 bytes")
        // A long field within the limit is quoted cut short, with its size.
        let longField = try temporaryFile("F.csv", header + "2020-01-02,1,2,0.5," + String(repeating: "x", count: 5_000) + ",10\n")
        expectRefused(try run(["backtest", "--data", longField]), "error: \(longField):2: Close '\(String(repeating: "x", count: 120))… (5000 bytes)' is not a number")
    }

    @Test func garbageIsQuotedEscaped() throws {
        let header = "Date,Open,High,Low,Close,Volume\n"
        let control = try temporaryFile("C.csv", header + "2020-01-02,1,2,0.5,\u{1B}[31mred\u{07},10\n")
        expectRefused(try run(["backtest", "--data", control]), "error: \(control):2: Close '\\x1b[31mred\\x07' is not a number")
        var binary = Array(header.utf8) + Array("2020-01-02,1,2,0.5,".utf8)
        binary += [0xFF, 0xFE, 0x00, 0x9B, 0x41] + Array(",10\n".utf8)
        let binaryPath = try temporaryFile("B.csv", "")
        try Data(binary).write(to: URL(fileURLWithPath: binaryPath))
        expectRefused(try run(["backtest", "--data", binaryPath]), "error: \(binaryPath):2: Close '\\u{FFFD}\\u{FFFD}\\x00\\u{FFFD}A' is not a number")
        let badHeader = try temporaryFile("U.csv", "When,\u{1B}]0;title\u{07}" + String(repeating: "z", count: 3_000) + "\n1,2\n")
        let r = try run(["backtest", "--data", badHeader])
        expectRefused(r, "error: \(badHeader): unrecognized header 'When,\\x1b]0;title\\x07zzz", prefix: true)
        #expect(!r.stderr.utf8.contains(0x1B))
    }

    @Test func openAndCloseMustLieWithinLowAndHigh() throws {
        let header = "Date,Open,High,Low,Close,Volume\n"
        let above = try temporaryFile("A.csv", header + "2020-01-02,100,104,99,101,10\n2020-01-03,105,104,99,101,10\n")
        expectRefused(try run(["backtest", "--data", above]), "error: \(above):3: Open 105 is above High 104")
        let below = try temporaryFile("L.csv", header + "2020-01-02,100,104,99,98.5,10\n")
        expectRefused(try run(["backtest", "--data", below]), "error: \(below):2: Close 98.5 is below Low 99")
        // Clipping, for vendors that round: the row is kept, moved to the bound, and counted.
        // (Two bars: the strategy's windows must fit them.)
        let clipped = try run(["backtest", "--data", above, "--clip-prices", "--fast", "1", "--slow", "2", "--no-save", "--output", "json"])
        #expect(clipped.status == 0, "\(clipped.stderr)")
        #expect(clipped.stderr.contains("\(above): clipped open/close into [low, high] on 1 row (first at line 3, largest move 1.0)"), "\(clipped.stderr)")
        let store = try storeDirectory()
        let imported = try run(["data", "import", above, "--clip-prices", "--store", store])
        #expect(imported.status == 0 && imported.stdout.hasPrefix("\(above): clipped open/close into [low, high] on 1 row"), "\(imported.stdout)")
        expectRefused(try run(["data", "import", above, "--store", store]), "error: \(above):3: Open 105 is above High 104")
    }

    @Test func onlyDecimalTextIsANumber() throws {
        let header = "Date,Open,High,Low,Close,Volume\n"
        for text in ["0x1p3", "inf", "nan", "Infinity", "1e", "1_000"] {
            let path = try temporaryFile("N.csv", header + "2020-01-02,1,9,0.5,\(text),10\n")
            expectRefused(try run(["backtest", "--data", path]), "error: \(path):2: Close '\(text)' is not a number", text)
        }
        // Quotes and spaces around a decimal number are still fine, as are long spellings.
        let ok = try temporaryFile("Q.csv", header + "2020-01-02, \"1.5\" ,2.000000000000000000001,0.5, 1.25 ,10\n2020-01-03,1,2,0.5,1.5,10\n")
        #expect(try run(["backtest", "--data", ok, "--fast", "1", "--slow", "2", "--no-save", "--output", "quiet"]).status == 0)
    }
}
