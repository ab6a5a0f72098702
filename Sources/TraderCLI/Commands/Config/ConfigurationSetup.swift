import Foundation
import Synchronization
import TraderApp
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the configuration before anything else runs: takes `--config FILE` out of the
/// arguments (it may appear anywhere, like the logging flags), reads the layers, installs the
/// result for the commands' defaults, and gives the settings the rest of the program reads from
/// variables (database, cache, data folders, logging) to those variables when they are unset.
enum ConfigurationSetup {
    static func extract(from arguments: [String]) throws(AppError) -> (String?, [String]) {
        var file: String?
        var rest: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" { rest += arguments[i...]; break }
            if argument == "--config" {
                guard i + 1 < arguments.count else { throw .usage("--config needs a file") }
                file = arguments[i + 1]
                i += 2
                continue
            }
            if argument.hasPrefix("--config=") {
                file = String(argument.dropFirst("--config=".count))
                i += 1
                continue
            }
            rest.append(argument)
            i += 1
        }
        if let file, file.isEmpty { throw .usage("--config needs a file") }
        return (file, rest)
    }

    /// The `--config` file of this process, for `config init` and `config set` to write to.
    static var explicitFile: String? { explicit.withLock { $0 } }
    private static let explicit = Mutex<String?>(nil)

    /// Loads and installs the configuration; returns the environment after it. `config init`
    /// may name a file that does not exist yet (`allowMissing`).
    static func load(explicit: String?, allowMissing: Bool = false) throws(AppError) -> [String: String] {
        Self.explicit.withLock { $0 = explicit }
        var environment = ProcessInfo.processInfo.environment
        let missing = explicit.map { !FileManager.default.fileExists(atPath: $0) } ?? false
        let configuration = try AppConfiguration.load(explicit: allowMissing && missing ? nil : explicit, environment: environment,
                                                      currentDirectory: FileManager.default.currentDirectoryPath)
        ActiveConfiguration.install(configuration)
        for (name, value) in configuration.aliasEnvironment(current: environment) {
            setenv(name, value, 1)
            environment[name] = value
        }
        return environment
    }
}
