/// What to write to a terminal to show the prompt and the line being edited, and the list of
/// completion candidates.
///
/// The line is drawn on one screen row: when it does not fit, it scrolls sideways so the cursor
/// stays visible, instead of wrapping (a wrapped line needs the terminal's help to redraw, and
/// this way a resize can never leave stale rows behind). Pure, so it is tested without a
/// terminal.
enum LineRenderer {
    /// `\r`, the prompt, the visible part of the line, clear to the end of the row, and the
    /// cursor moved to its column.
    static func render(prompt: String, buffer: [Character], cursor: Int, columns: Int) -> String {
        let promptWidth = width(of: prompt)
        // One column is kept free so the cursor after the last character does not wrap.
        let room = max(columns - promptWidth - 1, 1)
        var start = 0
        var used = width(of: buffer[..<cursor])
        while used > room, start < cursor {
            used -= Self.columns(of: buffer[start])
            start += 1
        }
        var end = start
        var shown = 0
        while end < buffer.count, shown + Self.columns(of: buffer[end]) <= room {
            shown += Self.columns(of: buffer[end])
            end += 1
        }
        let column = promptWidth + width(of: buffer[start..<cursor])
        return "\r" + prompt + String(buffer[start..<end]) + "\u{1B}[K" + "\r" + (column > 0 ? "\u{1B}[\(column)C" : "")
    }

    /// Candidates in columns across the screen, sorted, as bash lists them.
    static func list(_ candidates: [String], columns: Int) -> String {
        let items = candidates.sorted()
        guard let widest = items.map({ width(of: $0) }).max() else { return "" }
        let cell = widest + 2
        let perRow = max(1, columns / cell)
        let rows = (items.count + perRow - 1) / perRow
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<perRow {
                let i = column * rows + row
                guard i < items.count else { break }
                let padding = i + rows < items.count ? cell - width(of: items[i]) : 0
                line += items[i] + String(repeating: " ", count: padding)
            }
            out += line + "\n"
        }
        return out
    }

    /// Terminal columns of `text`.
    static func width(of text: some Sequence<Character>) -> Int {
        text.reduce(0) { $0 + columns(of: $1) }
    }

    /// Terminal columns of one character: 2 for East Asian wide characters and emoji, 0 for a
    /// lone combining mark, else 1. (A close approximation of `wcwidth`, which Glibc does not
    /// offer for grapheme clusters.)
    static func columns(of c: Character) -> Int {
        guard let scalar = c.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD,
        ]
        if wide.contains(where: { $0.contains(v) }) { return 2 }
        if c.unicodeScalars.count > 1, scalar.properties.isEmojiPresentation || c.unicodeScalars.contains(where: { $0.value == 0xFE0F }) {
            return 2
        }
        return 1
    }
}
