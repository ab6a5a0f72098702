/// What Tab may put in place of the word before the cursor: the answer of `ShellCompleter`, in a
/// form the line editor can apply without knowing anything about commands.
struct Completion: Equatable, Sendable {
    /// One possible word.
    struct Candidate: Equatable, Sendable {
        /// The text that replaces the line from `Completion.start` to the cursor, escaped for
        /// `ShellWords` (it may carry a kept prefix such as `--symbols=GOOG,`).
        var text: String
        /// What a list of candidates shows (the bare value).
        var display: String
        /// Whether the word is finished, so a unique match is followed by a space; false for a
        /// folder (`data/`) or an option that wants its value after `=`.
        var isComplete: Bool

        init(text: String, display: String? = nil, isComplete: Bool = true) {
            self.text = text
            self.display = display ?? text
            self.isComplete = isComplete
        }
    }

    /// The offset, in characters of the line, where the replaced text starts.
    var start: Int
    var candidates: [Candidate]

    static let none = Completion(start: 0, candidates: [])

    /// The longest text every candidate starts with.
    var commonPrefix: String {
        guard var prefix = candidates.first.map({ Array($0.text) }) else { return "" }
        for candidate in candidates.dropFirst() {
            let text = Array(candidate.text)
            var n = 0
            while n < prefix.count, n < text.count, prefix[n] == text[n] { n += 1 }
            prefix.removeSubrange(n...)
        }
        return String(prefix)
    }
}
