import Foundation
import Synchronization
import Testing
import TraderCore

/// The JSON parser on hostile text: nesting is bounded (512 levels) and safe on a small stack,
/// numbers follow the one number syntax, errors are one line.
@Suite struct JSONParsingTests {
    /// Runs `body` on a thread with a 512 KiB stack (a secondary thread's size on macOS, and
    /// less than Linux's 8 MiB) and returns its result.
    func onSmallStack<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let result = Mutex<T?>(nil)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let value = body()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        return result.withLock { $0! }
    }

    @Test func nestingIsBoundedAndFitsASmallStack() throws {
        let outcome = onSmallStack { () -> [String] in
            var seen: [String] = []
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                let limit = String(repeating: open, count: 512) + "1" + String(repeating: close, count: 512)
                // Parsed, printed both ways, compared and freed, all on the small stack.
                let value = try? JSONValue(parsing: limit)
                seen.append(value.map { $0.serialized(indent: nil) == limit && $0.serialized().count > limit.count && $0 == $0 ? "parsed" : "printed wrongly" } ?? "refused")
                do {
                    _ = try JSONValue(parsing: String(repeating: open, count: 100_000))
                    seen.append("parsed")
                } catch {
                    seen.append("\(error)")
                }
            }
            return seen
        }
        #expect(outcome == ["parsed", "invalid JSON at byte 512: nested too deeply", "parsed", "invalid JSON at byte 2560: nested too deeply"])
    }

    @Test func numbersAreFiniteDecimals() throws {
        #expect(try JSONValue(parsing: "[1, -2.5e3, 12345678901234567890]") == .array([.integer(1), .number(-2500), .number(12345678901234567890)]))
        for bad in ["1e400", "-1e999", "1.2.3", "1e", "--1"] {
            let error = #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: bad) }
            #expect(error?.description == "invalid JSON at byte 0: '\(bad)' is not a finite decimal number", "\(bad)")
        }
    }
}
