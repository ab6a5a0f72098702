/// Text from outside the program made fit to show in a one-line message.
///
/// Error messages quote what the user gave them (a CSV field, a header, an option value, a YAML
/// key). Hostile or broken input can make that a 10 MB field, binary garbage, or terminal control
/// sequences that would repaint the user's screen. Every quotation goes through here: control
/// bytes and invalid UTF-8 are escaped (`\n`, `\x1b`, `\u{85}`), and long text is cut in the
/// middle of nowhere but at a character boundary with the size of what was left out, so a message
/// stays one short line whatever it quotes.
public enum DisplayText {
    /// Longest quotation of user input inside a message, in characters (before escaping).
    public static let quoteLimit = 120
    /// Longest whole message line, in characters (after escaping).
    public static let lineLimit = 2_000

    /// `bytes` (UTF-8, possibly invalid) escaped and cut to about `limit` characters.
    public static func quote(bytes: some Collection<UInt8>, limit: Int = quoteLimit) -> String {
        // Decode at most a little more than is shown: a 10 MB field costs what 4 × limit bytes do.
        let total = bytes.count
        let window = bytes.prefix(max(limit, 1) * 4 + 4)
        let decoded = String(decoding: window, as: UTF8.self)
        var shown = escape(decoded, limit: limit)
        if window.count < total || decoded.unicodeScalars.count > limit {
            shown += "… (\(total) bytes)"
        }
        return shown
    }

    /// `text` escaped and cut to about `limit` characters.
    public static func quote(_ text: some StringProtocol, limit: Int = quoteLimit) -> String {
        quote(bytes: text.utf8, limit: limit)
    }

    /// A whole message made one line: control characters escaped, cut to `limit` characters.
    /// Unlike `quote`, the tail of a message says what to do, so a long message keeps its end.
    public static func line(_ message: some StringProtocol, limit: Int = lineLimit) -> String {
        let escaped = escape(String(message), limit: Int.max)
        guard escaped.count > limit else { return escaped }
        let keep = max(limit / 2 - 10, 1)
        let head = escaped.prefix(keep), tail = escaped.suffix(keep)
        return "\(head) …(\(escaped.count - 2 * keep) characters left out)… \(tail)"
    }

    /// Whether `text` would be shown unchanged by `line` (no control characters, short enough).
    public static func isPlainLine(_ text: some StringProtocol, limit: Int = lineLimit) -> Bool {
        var count = 0
        for scalar in text.unicodeScalars {
            if needsEscape(scalar) { return false }
            count += 1
            if count > limit { return false }
        }
        return true
    }

    // MARK: - Escaping

    /// Escapes control characters (C0, DEL, C1), the replacement character of invalid UTF-8 and
    /// bidirectional overrides; stops after `limit` scalars.
    static func escape(_ text: String, limit: Int) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { break }
            count += 1
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{FFFD}": out += "\\u{FFFD}"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            }
        }
        return out
    }

    @inline(__always)
    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
        // Replacement character (invalid UTF-8) and the bidirectional controls that can reorder
        // what a terminal shows ("Trojan Source").
        return v == 0xFFFD || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
