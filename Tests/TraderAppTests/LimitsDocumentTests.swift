import Foundation
import Testing
import TraderApp

/// docs/limits.md lists every numeric setting's range; it is the code's list, kept equal by this
/// test (a changed bound fails here until the page says so).
@Suite struct LimitsDocumentTests {
    @Test func theLimitsPageShowsEveryBoundAsTheCodeDefinesIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = try String(contentsOf: root.appendingPathComponent("docs/limits.md"), encoding: .utf8)
        let documented = page.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Setting") }.map(String.init)
        let expected = ValueLimits.markdownRows
        #expect(documented == expected, "docs/limits.md should list, in order:\n\(expected.joined(separator: "\n"))")
        #expect(expected.count > 40)
    }
}
