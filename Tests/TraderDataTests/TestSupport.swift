import Foundation
import TraderCore
import TraderData

/// Parses CSV text held in memory, as a file named `source` would be.
func parseCSV(_ text: String, source: String = "t.csv", symbol: String = "T") throws(DataError) -> BarSeries {
    try CSVBarReader.parse(Array(text.utf8), source: source, symbol: symbol)
}

/// The one-line message of the error parsing `text` throws, or nil when it parses.
func parseError(_ text: String, source: String = "t.csv") -> String? {
    do {
        _ = try parseCSV(text, source: source)
        return nil
    } catch {
        return error.description
    }
}

/// A fresh directory under the system's temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "trader-data-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `bytes` to `name` in the directory and returns the full path.
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    /// The names in the directory, but the bar store's verdict file (`.gtbars-verified`, written
    /// when a verified file has settled, which depends on the clock).
    func contents() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter { $0 != ".gtbars-verified" }.sorted()
    }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The repository root, found from this file's path (`<root>/Tests/TraderDataTests/...`).
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// UTC midnight of a calendar date, in nanoseconds.
func day(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
    Timestamp(year: year, month: month, day: day).nanos
}

/// A UTC date and time, in nanoseconds.
func time(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0, nanosecond: Int = 0) -> Int64 {
    Timestamp(year: year, month: month, day: day, hour: hour, minute: minute, second: second, nanosecond: nanosecond).nanos
}
