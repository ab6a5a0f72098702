import Synchronization

/// The configuration this process runs with, loaded once at start (`CLI.run`, the shell, the
/// server) and read where defaults are decided: command options take their default values from
/// it, so a config file changes `--capital`'s default and `--help` shows the effective one.
public enum ActiveConfiguration {
    private static let storage = Mutex(AppConfiguration.defaults)

    public static var current: AppConfiguration { storage.withLock { $0 } }

    public static func install(_ configuration: AppConfiguration) { storage.withLock { $0 = configuration } }

    public static func number(_ path: String) -> Double { current.number(path) }
    public static func integer(_ path: String) -> Int { current.integer(path) }
    public static func string(_ path: String) -> String { current.string(path) }

    /// A number where 0 means "not set" (stop-loss, take-profit).
    public static func optionalNumber(_ path: String) -> Double? {
        let v = current.number(path)
        return v > 0 ? v : nil
    }
}
