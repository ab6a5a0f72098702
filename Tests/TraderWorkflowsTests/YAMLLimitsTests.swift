import Foundation
import Synchronization
import Testing
import TraderCore
@testable import TraderYAML

/// Hostile YAML: documents that expand, nest or read without end are refused with one located
/// error, in bounded time and memory, on a small stack too.
@Suite struct YAMLLimitsTests {
    /// The "billion laughs": 1.5 KB that stands for 10⁹ values.
    static let billionLaughs: String = {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return text
    }()

    @Test func aliasExpansionIsCapped() throws {
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(Self.billionLaughs, file: "laughs.yaml") }
        // a4 stands for 111,111 values: its first aliases of a3 (11,111 each) cross 100,000.
        #expect(error?.file == "laughs.yaml" && error?.line == 5, "\(String(describing: error))")
        #expect(error?.message == "more than 100000 values with aliases expanded (the limit of a YAML file)")
    }

    /// An alias of a huge value as a mapping key: Yams hashed the whole value to find duplicates.
    @Test func anAliasOfAHugeValueIsNoKey() throws {
        let text = Self.billionLaughs.split(separator: "\n").prefix(4).joined(separator: "\n") + "\nx: {*a3 : 1}\n"
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(text, file: "keys.yaml") }
        #expect(error?.message == "keys must be plain text" && error?.line == 5, "\(String(describing: error))")
    }

    /// Few values, much text: one 10 KB scalar listed through 200 aliases is 2 MB of text.
    @Test func expandedTextIsCapped() throws {
        let text = "big: &big \"\(String(repeating: "x", count: 10_000))\"\nlist: [" + Array(repeating: "*big", count: 200).joined(separator: ", ") + "]\n"
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(text, file: "text.yaml") }
        #expect(error?.message == "more than 1 MiB of text with aliases expanded (the limit of a YAML file)")
        #expect(error?.line == 2)
    }

    @Test func deepNestingIsRefusedWhereItStarts() throws {
        for text in [String(repeating: "[", count: 100_000), String(repeating: "{a: ", count: 100_000), String(repeating: "- ", count: 100_000)] {
            let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(text, file: "deep.yaml") }
            #expect(error?.message == "values nested deeper than 64 levels (the limit of a YAML file)", "\(String(describing: error))")
            #expect(error?.line == 1)
        }
        let seventy = #expect(throws: YAMLError.self) { try YAMLNode.parse(String(repeating: "[", count: 70), file: "deep.yaml") }
        #expect(seventy?.description == "deep.yaml:1:65: values nested deeper than 64 levels (the limit of a YAML file)")
        // 64 levels are fine, aliases count the levels they bring.
        let ok = try YAMLNode.parse(String(repeating: "[", count: 64) + String(repeating: "]", count: 64), file: "ok.yaml")
        #expect(ok.json.serialized(indent: nil).count == 128)
        let viaAlias = "a: &a " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\nb: " + String(repeating: "[", count: 30) + "*a" + String(repeating: "]", count: 30) + "\n"
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(viaAlias, file: "alias.yaml") }
        #expect(error?.message == "alias *a nests values deeper than 64 levels (the limit of a YAML file)" && error?.line == 2)
    }

    /// Deep input on a 512 KiB stack (a secondary thread's size on macOS): refused, not a crash.
    @Test func deepNestingOnASmallStack() throws {
        let outcome = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let message: String
            do {
                _ = try YAMLNode.parse(String(repeating: "[", count: 100_000), file: "deep.yaml")
                message = "parsed"
            } catch {
                message = (error as? YAMLError)?.message ?? "\(error)"
            }
            outcome.withLock { $0 = message }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        #expect(outcome.withLock { $0 } == "values nested deeper than 64 levels (the limit of a YAML file)")
    }

    @Test func documentsAreAtMostOneMebibyte() throws {
        let big = "# " + String(repeating: "x", count: 1 << 20) + "\n"
        let error = #expect(throws: YAMLError.self) { try YAMLNode.parse(big, file: "big.yaml") }
        #expect(error?.message == "larger than 1 MiB (the limit of a YAML file)")
    }

    /// One number syntax: hexadecimal floats, `inf` and numbers beyond a double stay text.
    @Test func numbersAreDecimal() throws {
        let root = try YAMLNode.parse("a: 0x1p3\nb: .inf\nc: 1e400\nd: 1_000\ne: 2.5e3\nf: nan\n", file: "n.yaml")
        #expect(root.json.serialized(indent: nil) == #"{"a":"0x1p3","b":".inf","c":"1e400","d":1000,"e":2500,"f":"nan"}"#)
    }

    @Test func keysAreCheckedAndQuoted() throws {
        let twice = #expect(throws: YAMLError.self) { try YAMLNode.parse("a: 1\nb: 2\na: 3\n", file: "k.yaml") }
        #expect(twice?.description == "k.yaml:3:1: 'a' is given twice")
        let control = #expect(throws: YAMLError.self) { try YAMLNode.parse("\"a\\eb\": 1\n\"a\\eb\": 2\n", file: "k.yaml") }
        #expect(control?.description == "k.yaml:2:1: 'a\\x1bb' is given twice")
        let two = #expect(throws: YAMLError.self) { try YAMLNode.parse("a: 1\n---\nb: 2\n", file: "k.yaml") }
        #expect(two?.message == "invalid YAML: expected a single document in the stream but found another document" && two?.line == 2)
        let undefined = #expect(throws: YAMLError.self) { try YAMLNode.parse("a: *nope\n", file: "k.yaml") }
        #expect(undefined?.message == "invalid YAML: found undefined alias" && undefined?.column == 4)
    }

    // MARK: - Files

    @Test func onlyBoundedRegularFilesAreRead() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("yaml-file-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(throws: YAMLFile.ReadError(path: "/dev/zero", reason: "not a regular file (a character device)")) {
            try YAMLFile.read("/dev/zero")
        }
        // A FIFO with no writer: opening it must not block.
        let fifo = dir + "/fifo.yaml"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: YAMLFile.ReadError(path: fifo, reason: "not a regular file (a FIFO)")) { try YAMLFile.read(fifo) }
        #expect(throws: YAMLFile.ReadError(path: dir, reason: "not a regular file (a directory)")) { try YAMLFile.read(dir) }
        let big = dir + "/big.yaml"
        FileManager.default.createFile(atPath: big, contents: Data(count: (1 << 20) + 1))
        #expect(throws: YAMLFile.ReadError(path: big, reason: "1048577 bytes, larger than 1 MiB (the limit of a YAML file)")) { try YAMLFile.read(big) }
        let binary = dir + "/binary.yaml"
        FileManager.default.createFile(atPath: binary, contents: Data([0x61, 0x3A, 0x20, 0xFF, 0x0A]))
        #expect(throws: YAMLFile.ReadError(path: binary, reason: "not UTF-8 text")) { try YAMLFile.read(binary) }
        let missing = dir + "/missing.yaml"
        #expect(throws: YAMLFile.ReadError(path: missing, reason: "no such file")) { try YAMLFile.read(missing) }
        let good = dir + "/good.yaml"
        FileManager.default.createFile(atPath: good, contents: Data("a: 1\n".utf8))
        #expect(try YAMLFile.read(good) == "a: 1\n")
    }
}
