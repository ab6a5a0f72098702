/// Why a profile file was refused: the file, the key (a dotted path such as
/// `tiers.small.max_positions`, empty for the whole document) and the reason. One line, so the
/// CLI can print it as is: `config/profiles/aggressive.json: tiers.small.max_positions: must be > 0`.
public struct ProfileError: Error, Equatable, Sendable, CustomStringConvertible {
    public let file: String
    public let key: String
    public let reason: String

    public init(file: String, key: String, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String { key.isEmpty ? "\(file): \(reason)" : "\(file): \(key): \(reason)" }
}
