@testable import TraderCLI
import Testing

/// The line editor's keys, fed as the bytes a terminal sends; no terminal needed.
@Suite struct ShellLineEditorTests {
    /// Feeds `input` byte by byte; returns every action.
    @discardableResult
    func type(_ input: String, into editor: inout LineEditor) -> [EditorAction] {
        Array(input.utf8).flatMap { editor.feed($0) }
    }

    func editor(_ input: String, history: [String] = [], complete: @escaping (String) -> Completion = { _ in .none }) -> LineEditor {
        var e = LineEditor(history: history, complete: complete)
        type(input, into: &e)
        return e
    }

    static let esc = "\u{1B}"

    @Test func printableInputAndCursorMoves() {
        #expect(editor("abc").line == "abc")
        #expect(editor("abc").cursor == 3)
        // Left twice, insert: Ctrl-B and ESC [ D are both Left.
        #expect(editor("abd\u{02}\(Self.esc)[Dx").line == "axbd")
        #expect(editor("abd\u{02}c").line == "abcd")
        #expect(editor("bc\u{01}a").line == "abc")                    // Ctrl-A: start
        #expect(editor("bc\(Self.esc)[Ha").line == "abc")             // Home, ESC [ H
        #expect(editor("bc\(Self.esc)[1~a").line == "abc")            // Home, ESC [ 1 ~
        #expect(editor("bc\(Self.esc)OHa\u{05}d").line == "abcd")     // Home (ESC O H), then Ctrl-E: end
        #expect(editor("ab\u{01}\(Self.esc)[4~c").line == "abc")      // End, ESC [ 4 ~
        #expect(editor("ac\(Self.esc)[D\(Self.esc)[C\(Self.esc)[Db").line == "abc")  // Left, Right, Left
        #expect(editor("one two\(Self.esc)[1;5Dx").line == "one xtwo")              // Ctrl-Left: word
        #expect(editor("one two\u{01}\(Self.esc)fx").line == "onex two")            // Alt-F: word right
    }

    @Test func deletion() {
        #expect(editor("abc\u{7F}").line == "ab")                         // Backspace (DEL)
        #expect(editor("abc\u{08}").line == "ab")                         // Backspace (Ctrl-H)
        #expect(editor("abc\u{01}\(Self.esc)[3~").line == "bc")           // Delete
        #expect(editor("abc\u{01}\u{04}").line == "bc")                   // Ctrl-D deletes on a non-empty line
        #expect(editor("abc def\u{02}\u{02}\u{0B}").line == "abc d")      // Ctrl-K: to the end
        #expect(editor("abc def\u{02}\u{02}\u{15}").line == "ef")         // Ctrl-U: to the start
        #expect(editor("abc def\u{02}\u{02}\u{15}").cursor == 0)
        #expect(editor("backtest --fast 10  \u{17}").line == "backtest --fast ")  // Ctrl-W: the word before
        #expect(editor("a b\(Self.esc)\u{7F}").line == "a ")              // Alt-Backspace
    }

    @Test func enterCtrlCCtrlDAndCtrlL() {
        var e = LineEditor()
        #expect(type("runs list\r", into: &e).last == .submit("runs list"))
        e = LineEditor()
        #expect(type("runs\n", into: &e).last == .submit("runs"))
        e = LineEditor()
        #expect(type("half a line\u{03}", into: &e).last == .cancel)
        e = LineEditor()
        #expect(type("\u{04}", into: &e) == [.endOfInput])
        e = LineEditor()
        #expect(type("x\u{0C}", into: &e).last == .clearScreen)
        #expect(e.line == "x")
    }

    @Test func utf8InputIncludingCombiningMarksAndSplitSequences() {
        #expect(editor("é€😀").line == "é€😀")
        #expect(editor("é€😀").cursor == 3)
        // e + COMBINING ACUTE ACCENT is one character: one Backspace removes both.
        #expect(editor("e\u{301}\u{7F}").line == "")
        #expect(editor("a👍🏽\u{7F}").line == "a")
        // A broken sequence is dropped; the byte after it is read afresh.
        var e = LineEditor()
        _ = e.feed(0xE2)
        _ = e.feed(0x82)
        _ = e.feed(UInt8(ascii: "x"))
        #expect(e.line == "x")
        // C0 controls without a key binding are ignored.
        #expect(editor("a\u{1A}b").line == "ab")
    }

    @Test func historyUpAndDownKeepTheDraft() {
        let history = ["backtest", "strategies", "runs list"]
        var e = LineEditor(history: history)
        type("dra", into: &e)
        type("\(Self.esc)[A", into: &e)
        #expect(e.line == "runs list" && e.cursor == 9)
        type("\(Self.esc)OA\u{10}", into: &e)                 // Up (application mode), Ctrl-P
        #expect(e.line == "backtest")
        #expect(type("\(Self.esc)[A", into: &e) == [.bell])   // nothing older
        type("\(Self.esc)[B\u{0E}", into: &e)                 // Down, Ctrl-N
        #expect(e.line == "runs list")
        type("\(Self.esc)[B", into: &e)
        #expect(e.line == "dra")                                // back to what was being typed
        #expect(type("\(Self.esc)[B", into: &e) == [.bell])
    }

    @Test func tabCompletesOneMatchThenTheCommonPrefixThenLists() {
        let complete: (String) -> Completion = { text in
            let words = ["strategies", "strategy-x", "status", "select"]
            let p = ShellWords.partial(text)
            return Completion(start: p.currentStart, candidates: words.filter { $0.hasPrefix(p.current) }.map { .init(text: $0) })
        }
        #expect(editor("se\t", complete: complete).line == "select ")     // one match, and a space
        var e = LineEditor(complete: complete)
        type("stra", into: &e)
        #expect(type("\t", into: &e) == [.redraw])
        #expect(e.line == "strateg")                                     // what the matches share
        #expect(type("\t", into: &e) == [.list(["strategies", "strategy-x"])])  // a second Tab lists them
        e = LineEditor(complete: complete)
        type("s", into: &e)
        #expect(type("\t", into: &e) == [.bell])                        // nothing to add yet
        #expect(type("t\t", into: &e) == [.redraw, .bell])             // typing in between: a Tab starts over
        #expect(type("\t", into: &e) == [.list(["strategies", "strategy-x", "status"])])
        #expect(editor("xyz\t", complete: complete).line == "xyz")
        // The completion replaces the word before the cursor; what follows the cursor stays.
        #expect(editor("se --x\u{02}\u{02}\u{02}\u{02}\t", complete: complete).line == "select  --x")
    }

    @Test func aFolderCompletesWithoutASpace() {
        let complete: (String) -> Completion = { _ in Completion(start: 0, candidates: [.init(text: "data/", isComplete: false)]) }
        #expect(editor("da\t", complete: complete).line == "data/")
    }
}

/// Drawing the line: the prompt, the visible part, the cursor column.
@Suite struct ShellLineRendererTests {
    @Test func drawsPromptLineAndCursorColumn() {
        let out = LineRenderer.render(prompt: "gpt-trader> ", buffer: Array("runs list"), cursor: 4, columns: 80)
        #expect(out == "\rgpt-trader> runs list\u{1B}[K\r\u{1B}[16C")
    }

    @Test func aLongLineScrollsSoTheCursorStaysVisible() {
        let line = Array(String(repeating: "x", count: 100) + "END")
        let out = LineRenderer.render(prompt: "> ", buffer: line, cursor: line.count, columns: 40)
        #expect(out.contains("END") && out.hasSuffix("\u{1B}[39C"))
        let start = LineRenderer.render(prompt: "> ", buffer: line, cursor: 0, columns: 40)
        #expect(!start.contains("END") && start.hasSuffix("\r\u{1B}[2C"))
    }

    @Test func wideCharactersTakeTwoColumns() {
        #expect(LineRenderer.width(of: "銘柄") == 4)
        #expect(LineRenderer.width(of: "e\u{301}x") == 2)
        #expect(LineRenderer.width(of: "😀!") == 3)
        #expect(LineRenderer.width(of: "abc") == 3)
    }

    @Test func listsCandidatesInColumns() {
        let text = LineRenderer.list(["momentum", "breakout", "scalp", "volatility"], columns: 30)
        #expect(text == "breakout    scalp\nmomentum    volatility\n")
    }
}
