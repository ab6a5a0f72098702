/// What the terminal must do after the editor took a key.
enum EditorAction: Equatable, Sendable {
    /// The line or the cursor changed: draw it again.
    case redraw
    /// Nothing to do for this key (no more history, no completion): ring the bell.
    case bell
    /// Enter: the line is finished.
    case submit(String)
    /// Ctrl-C: the line is dropped.
    case cancel
    /// Ctrl-D on an empty line.
    case endOfInput
    /// Ctrl-L: clear the screen, then draw the line.
    case clearScreen
    /// A second Tab with several candidates: show them under the line, then draw it again.
    case list([String])
}

/// The editing of one line: a buffer, a cursor, history recall and completion, driven by keys.
///
/// It never touches the terminal — keys in, actions out — so every key's effect is a unit test;
/// `TerminalLineReader` feeds it bytes from the raw terminal and draws what it says. The buffer
/// holds characters (grapheme clusters), so the cursor never lands inside an accented letter or
/// an emoji.
struct LineEditor {
    private(set) var buffer: [Character] = []
    private(set) var cursor = 0

    private let history: [String]
    /// The history entry shown, or `history.count` for the line being written.
    private var historyIndex: Int
    /// The line being written, kept while Up shows older entries.
    private var draft: [Character] = []
    private let complete: (String) -> Completion
    private var lastKeyWasTab = false
    private var decoder = KeyDecoder()

    /// `history` is oldest first; `complete` answers for the text before the cursor.
    init(history: [String] = [], complete: @escaping (String) -> Completion = { _ in .none }) {
        self.history = history
        historyIndex = history.count
        self.complete = complete
    }

    var line: String { String(buffer) }

    /// Decodes `byte` and applies the key it completes.
    mutating func feed(_ byte: UInt8) -> [EditorAction] {
        guard let key = decoder.feed(byte) else { return [] }
        return handle(key)
    }

    /// Applies one key.
    mutating func handle(_ key: Key) -> [EditorAction] {
        defer { lastKeyWasTab = key == .tab }
        switch key {
        case .insert(let c):
            insert(c)
        case .enter:
            return [.submit(line)]
        case .tab:
            return completeWord()
        case .left:
            guard cursor > 0 else { return [] }
            cursor -= 1
        case .right:
            guard cursor < buffer.count else { return [] }
            cursor += 1
        case .wordLeft:
            cursor = wordStart(before: cursor)
        case .wordRight:
            while cursor < buffer.count, Self.isBlank(buffer[cursor]) { cursor += 1 }
            while cursor < buffer.count, !Self.isBlank(buffer[cursor]) { cursor += 1 }
        case .home:
            cursor = 0
        case .end:
            cursor = buffer.count
        case .up:
            guard historyIndex > 0 else { return [.bell] }
            if historyIndex == history.count { draft = buffer }
            historyIndex -= 1
            show(Array(history[historyIndex]))
        case .down:
            guard historyIndex < history.count else { return [.bell] }
            historyIndex += 1
            show(historyIndex == history.count ? draft : Array(history[historyIndex]))
        case .backspace:
            guard cursor > 0 else { return [.bell] }
            buffer.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < buffer.count else { return [] }
            buffer.remove(at: cursor)
        case .deleteOrEndOfInput:
            if buffer.isEmpty { return [.endOfInput] }
            guard cursor < buffer.count else { return [] }
            buffer.remove(at: cursor)
        case .killToEnd:
            buffer.removeSubrange(cursor...)
        case .killToStart:
            buffer.removeSubrange(..<cursor)
            cursor = 0
        case .killWordBackward:
            let start = wordStart(before: cursor)
            buffer.removeSubrange(start..<cursor)
            cursor = start
        case .clearScreen:
            return [.clearScreen]
        case .interrupt:
            return [.cancel]
        }
        return [.redraw]
    }

    /// Puts `c` at the cursor; a character that combines with the one before it (an accent, a
    /// variation selector, the second half of a flag) joins it instead of standing alone.
    private mutating func insert(_ c: Character) {
        if cursor > 0 {
            let joined = String(buffer[cursor - 1]) + String(c)
            if joined.count == 1 {
                buffer[cursor - 1] = Character(joined)
                return
            }
        }
        buffer.insert(c, at: cursor)
        cursor += 1
    }

    private mutating func show(_ text: [Character]) {
        buffer = text
        cursor = text.count
    }

    private func wordStart(before position: Int) -> Int {
        var i = position
        while i > 0, Self.isBlank(buffer[i - 1]) { i -= 1 }
        while i > 0, !Self.isBlank(buffer[i - 1]) { i -= 1 }
        return i
    }

    private static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" }

    /// Tab: one candidate is put in (with a space when it is a whole word); several put in what
    /// they share, and a second Tab in a row lists them.
    private mutating func completeWord() -> [EditorAction] {
        let completion = complete(String(buffer[..<cursor]))
        guard !completion.candidates.isEmpty, completion.start <= cursor else { return [.bell] }
        let typed = String(buffer[completion.start..<cursor])
        if completion.candidates.count == 1, let only = completion.candidates.first {
            replace(from: completion.start, with: only.text + (only.isComplete ? " " : ""))
            return [.redraw]
        }
        // The shared text replaces what was typed, which may be spelled differently (quotes).
        let prefix = completion.commonPrefix
        if prefix.count > typed.count {
            replace(from: completion.start, with: prefix)
            return [.redraw]
        }
        return lastKeyWasTab ? [.list(completion.candidates.map(\.display))] : [.bell]
    }

    private mutating func replace(from start: Int, with text: String) {
        let inserted = Array(text)
        buffer.replaceSubrange(start..<cursor, with: inserted)
        cursor = start + inserted.count
    }
}
