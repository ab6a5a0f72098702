/// Credentials kept out of everything the program prints: messages, log lines, JSON documents.
///
/// Database and cache URLs carry passwords in two places: the user info
/// (`postgres://me:secret@db/trading`, `redis://:secret@cache`) and query options
/// (`?password=…`, `?sslpassword=…`, `?token=…`). `redactURL` masks both in one URL, parsed or
/// not; `scrub` finds every URL and every `secret=value` pair in free text (an error from a
/// library, a log line) and masks them, as the last line of defence before text leaves the
/// process. The mask is `***`, so a user can still see which part was there.
public enum Redaction {
    /// What stands in for a secret.
    public static let mask = "***"

    /// Option and key names whose values are credentials (compared in lowercase, with `-` and
    /// `_` ignored): libpq's `password` and `sslpassword`, tokens and keys of HTTP APIs.
    public static let secretNames: Set<String> = [
        "password", "passwd", "pwd", "pass", "sslpassword", "secret", "apisecret", "clientsecret", "token", "accesstoken",
        "refreshtoken", "authtoken", "apikey", "apitoken", "privatekey", "sessiontoken", "credentials", "auth",
    ]

    /// Whether a key or option called `name` holds a credential.
    public static func isSecretName(_ name: some StringProtocol) -> Bool {
        let folded = String(name.lowercased().filter { $0 != "-" && $0 != "_" })
        return secretNames.contains(folded) || folded.hasSuffix("password") || folded.hasSuffix("secret") || folded.hasSuffix("token")
    }

    /// Schemes whose user info without a colon is itself a password (`redis://secret@host`).
    static let passwordOnlySchemes: Set<String> = ["redis", "rediss"]

    /// `text` with the password of its user info and the values of secret query options masked.
    /// Text without `://` is returned as it is.
    public static func redactURL(_ text: String) -> String {
        guard let schemeEnd = text.firstRange(of: "://") else { return text }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        // The query starts at the first '?' or '#'; the user info ends at the last '@' before
        // it, so a password holding '@' or '/' is masked whole.
        let queryStart = text[schemeEnd.upperBound...].firstIndex { $0 == "?" || $0 == "#" } ?? text.endIndex
        var head = String(text[..<queryStart])
        if let at = text[schemeEnd.upperBound..<queryStart].lastIndex(of: "@") {
            let userInfo = text[schemeEnd.upperBound..<at]
            let shown: String
            if let colon = userInfo.firstIndex(of: ":") {
                shown = String(userInfo[..<colon]) + ":" + mask
            } else {
                shown = passwordOnlySchemes.contains(scheme) ? mask : String(userInfo)
            }
            head = String(text[..<schemeEnd.upperBound]) + shown + String(text[at..<queryStart])
        }
        return head + redactQuery(text[queryStart...])
    }

    /// `?a=1&password=x#f` with secret values masked.
    static func redactQuery(_ query: Substring) -> String {
        guard !query.isEmpty else { return "" }
        var out = String(query.first!)
        var pairs: [String] = []
        for pair in query.dropFirst().split(separator: "&", omittingEmptySubsequences: false) {
            if let equals = pair.firstIndex(of: "="), isSecretName(pair[..<equals]) {
                pairs.append(String(pair[...equals]) + mask)
            } else {
                pairs.append(String(pair))
            }
        }
        out += pairs.joined(separator: "&")
        return out
    }

    /// `message` with every URL redacted (`redactURL`) and every `name=value` or `name: value`
    /// whose name is a secret (`password=…`, `api_key: …`) masked.
    public static func scrub(_ message: String) -> String {
        guard message.contains("://") || message.contains("=") || message.contains(":") else { return message }
        var out = ""
        var rest = Substring(message)
        // URLs: from the scheme to the next space or quote.
        while let schemeEnd = rest.firstRange(of: "://") {
            var start = schemeEnd.lowerBound
            while start > rest.startIndex, isSchemeCharacter(rest[rest.index(before: start)]) { start = rest.index(before: start) }
            let end = rest[schemeEnd.upperBound...].firstIndex(where: isURLTerminator) ?? rest.endIndex
            out += scrubPairs(rest[..<start])
            out += redactURL(String(rest[start..<end]))
            rest = rest[end...]
        }
        out += scrubPairs(rest)
        return out
    }

    /// Masks `secret=value` and `secret: value` pairs in text holding no URL.
    static func scrubPairs(_ text: Substring) -> String {
        guard text.contains("=") || text.contains(":") else { return String(text) }
        var out = ""
        var copied = text.startIndex  // text before this is in `out` already
        var wordStart = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "=" || c == ":", wordStart < i, isSecretName(text[wordStart..<i].trimmingQuotes) {
                var valueStart = text.index(after: i)
                while valueStart < text.endIndex, text[valueStart] == " " || text[valueStart] == "\"" || text[valueStart] == "'" {
                    valueStart = text.index(after: valueStart)
                }
                let valueEnd = text[valueStart...].firstIndex(where: isValueTerminator) ?? text.endIndex
                if valueEnd > valueStart {
                    out += text[copied..<valueStart]
                    out += mask
                    copied = valueEnd
                    i = valueEnd
                    wordStart = valueEnd
                    continue
                }
            }
            if !isNameCharacter(c) { wordStart = text.index(after: i) }
            i = text.index(after: i)
        }
        out += text[copied...]
        return out
    }

    static func isSchemeCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "+" || c == "-" || c == ".") }
    static func isURLTerminator(_ c: Character) -> Bool { c == " " || c == "'" || c == "\"" || c == "`" || c == "\n" || c == "\t" || c == ">" || c == "<" }
    static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "-" || c == "\"" || c == "'" }
    static func isValueTerminator(_ c: Character) -> Bool { c == " " || c == "&" || c == "'" || c == "\"" || c == "," || c == ";" || c == "\n" || c == "}" }
}

extension Substring {
    fileprivate var trimmingQuotes: Substring {
        var s = self
        while s.first == "\"" || s.first == "'" { s = s.dropFirst() }
        while s.last == "\"" || s.last == "'" { s = s.dropLast() }
        return s
    }
}
