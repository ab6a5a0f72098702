/// Splits a shell line into words the way a POSIX shell does, so what works in bash works in the
/// interactive shell: `--constraint 'fast<slow'`, `--data "my prices.csv"`, `my\ prices.csv`.
///
/// Blanks separate words; single quotes keep everything literally; double quotes keep everything
/// but `\"`, `\\`, `` \` `` and `\$`, which lose their backslash; a backslash outside quotes makes
/// the next character literal; `#` at the start of a word begins a comment. There are no
/// variables, globs, pipes or redirections: a word is passed on as written.
enum ShellWords {
    /// A line that cannot be split.
    struct SyntaxError: Error, Equatable, CustomStringConvertible {
        let description: String
    }

    /// The words of a line that may end in the middle of a word (the text before the cursor, for
    /// completion): the finished words, the word being typed and where it starts.
    struct Partial: Equatable {
        /// Words before the one being typed, without quotes and escapes.
        var words: [String]
        /// The word being typed, without quotes and escapes ("" after a blank).
        var current: String
        /// The offset, in characters of the line, where the word being typed starts.
        var currentStart: Int
    }

    /// The words of a complete line.
    static func split(_ line: String) throws(SyntaxError) -> [String] {
        let scan = scan(line)
        if let open = scan.openQuote { throw SyntaxError(description: "unterminated \(open == "'" ? "single" : "double") quote") }
        if scan.danglingBackslash { throw SyntaxError(description: "the line ends with a backslash") }
        return scan.words + (scan.inWord ? [scan.current] : [])
    }

    /// The words of the text before the cursor; an open quote or a trailing backslash is accepted
    /// (the user is still typing).
    static func partial(_ line: String) -> Partial {
        let scan = scan(line)
        if scan.inWord || scan.openQuote != nil { return Partial(words: scan.words, current: scan.current, currentStart: scan.currentStart) }
        return Partial(words: scan.words, current: "", currentStart: line.count)
    }

    /// `word` written so that `split` gives it back as one word: unchanged when it has nothing
    /// special in it, else with a backslash before each special character (so it can be extended
    /// by completion, unlike a quoted word).
    static func escape(_ word: String) -> String {
        if word.isEmpty { return "''" }
        var out = ""
        for c in word {
            if !isPlain(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    private static func isPlain(_ c: Character) -> Bool {
        if c.isLetter || c.isNumber { return true }
        return "-_./,:=+@%^".contains(c)
    }

    private struct Scan {
        var words: [String] = []
        var current = ""
        var currentStart = 0
        var inWord = false
        var openQuote: Character?
        var danglingBackslash = false
        var comment = false
    }

    /// One pass over the line; `split` and `partial` read what they need from its state.
    private static func scan(_ line: String) -> Scan {
        var s = Scan()
        var escaped = false
        func startWord(at offset: Int) {
            if !s.inWord { s.inWord = true; s.current = ""; s.currentStart = offset }
        }
        for (offset, c) in line.enumerated() {
            if s.comment { break }
            if escaped {
                escaped = false
                if s.openQuote == "\"" && !"\"\\`$".contains(c) { s.current.append("\\") }
                s.current.append(c)
                continue
            }
            switch s.openQuote {
            case "'":
                if c == "'" { s.openQuote = nil } else { s.current.append(c) }
            case "\"":
                if c == "\"" { s.openQuote = nil } else if c == "\\" { escaped = true } else { s.current.append(c) }
            default:
                switch c {
                case " ", "\t", "\n", "\r":
                    if s.inWord { s.words.append(s.current); s.current = ""; s.inWord = false }
                case "#" where !s.inWord:
                    s.comment = true
                    s.currentStart = offset
                case "'", "\"":
                    startWord(at: offset)
                    s.openQuote = c
                case "\\":
                    startWord(at: offset)
                    escaped = true
                default:
                    startWord(at: offset)
                    s.current.append(c)
                }
            }
        }
        s.danglingBackslash = escaped
        return s
    }
}
