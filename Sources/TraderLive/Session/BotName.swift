/// A bot's name: how `gpt-trader bots` finds it, and the prefix of its client order ids, so it is
/// kept to what every venue accepts in an id and every shell passes unquoted.
public enum BotName {
    public static let maxLength = 48

    /// Why `name` cannot name a bot, or nil when it can.
    public static func violation(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        if name.utf8.count > maxLength { return "must be at most \(maxLength) characters, got \(name.utf8.count)" }
        if let bad = name.unicodeScalars.first(where: { !allowed($0) }) {
            return "may hold only letters, digits, '.', '_' and '-', got '\(String(bad).debugDescription.dropFirst().dropLast())' in '\(name)'"
        }
        return nil
    }

    private static func allowed(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}
