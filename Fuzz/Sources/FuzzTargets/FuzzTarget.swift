#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TraderCore

/// One fuzz target: a name for `FUZZ_TARGET`, what it feeds, and the function libFuzzer calls
/// with each input. A target crashes (through `Check`) only when a property fails; errors the
/// code under test throws for bad input are the expected outcome, but their messages are checked.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (UnsafeRawBufferPointer) -> Void

    static let all: [FuzzTarget] = [csv, numbers, yaml, workflow, config, resp, json, barstore, cli]

    static func fromEnvironment() -> FuzzTarget {
        let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
        if let target = all.first(where: { $0.name == name }) { return target }
        var help = "FUZZ_TARGET must name one of these targets:\n"
        for t in all { help += "  \(t.name.padding(to: 10)) \(t.summary)\n" }
        FileDescriptorOutput.standardError(help)
        exit(2)
    }
}

/// Properties every target checks. A failure is a crash, so libFuzzer keeps the input.
enum Check {
    static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("property failed: \(message())") }
    }

    /// An error message shown to a user is one line of sane length with nothing that could move
    /// a terminal's cursor: what `DisplayText` makes of user input.
    static func oneLine(_ message: String, _ what: String) {
        require(DisplayText.isPlainLine(message), "\(what) error is not one plain line of at most \(DisplayText.lineLimit) characters: \(DisplayText.line(message, limit: 400))")
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}

enum FileDescriptorOutput {
    static func standardError(_ text: String) {
        var text = text
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
