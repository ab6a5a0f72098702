import Foundation
public import TraderCore
import TraderYAML

/// Writes configuration files: the commented template of `config init`, and `config set`'s
/// change of one value, which keeps the rest of the file (comments included) as it was.
public enum ConfigFileEditor {
    /// Every section and key with its default and help, as comments to uncomment.
    public static func template() -> String {
        var out = """
            # gpt-trader configuration. Layers, later wins: defaults < this file < environment
            # (BOT_V2_<SECTION>_<KEY>, e.g. BOT_V2_BACKTEST_CAPITAL=50000) < command-line flags.
            # Uncomment and edit what you need; `gpt-trader config validate` checks the file.

            """
        for section in ConfigSchema.sections {
            out += "\n\(section):\n"
            for key in ConfigSchema.keys(in: section) {
                out += "  # \(key.help)\n"
                out += "  # \(key.name): \(yamlScalar(key.defaultValue))\n"
            }
        }
        return out
    }

    /// A value as YAML: strings always double-quoted (so `yes`, `0.5` or `a: b` stay text).
    static func yamlScalar(_ value: JSONValue) -> String { value.serialized(indent: nil) }

    /// `text` with `section.key` set to `value`: the key's line replaced when it is there (also
    /// a commented-out default), else the key added under its section, else the section added.
    /// Refuses files it cannot edit safely (flow-style sections).
    public static func setting(_ key: ConfigKey, to value: JSONValue, in text: String) throws(AppError) -> String {
        var lines = text.isEmpty ? [] : text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let newLine = "  \(key.name): \(yamlScalar(value))"
        guard let sectionIndex = lines.firstIndex(where: { $0.hasPrefix("\(key.section):") }) else {
            lines += ["", "\(key.section):", newLine]
            return lines.joined(separator: "\n") + "\n"
        }
        let rest = lines[sectionIndex].dropFirst(key.section.count + 1).trimmingCharacters(in: .whitespaces)
        guard rest.isEmpty || rest.hasPrefix("#") else {
            throw .usage("section \(key.section) is written in one line; edit the file by hand or put its keys on lines of their own")
        }
        // The section's block: the indented or blank lines after it.
        var end = sectionIndex + 1
        while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix(" ") || lines[end].hasPrefix("\t") { end += 1 }
        let block = (sectionIndex + 1)..<end
        if let i = block.first(where: { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("\(key.name):") }) {
            lines[i] = newLine
        } else if let i = block.first(where: { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("# \(key.name):") }) {
            lines[i] = newLine
        } else {
            var insertAt = end
            while insertAt > sectionIndex + 1, lines[insertAt - 1].isEmpty { insertAt -= 1 }
            lines.insert(newLine, at: insertAt)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
