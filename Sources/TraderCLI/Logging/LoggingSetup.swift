import Logging
import Synchronization

/// Installs the line handler once per process (swift-log allows one bootstrap), with the run's
/// correlation id in every record's metadata.
enum LoggingSetup {
    /// `run-` and 8 hex digits, fresh for each process.
    static let correlationID: String = {
        let hex = String(UInt32.random(in: .min ... .max), radix: 16)
        return "run-" + String(repeating: "0", count: 8 - hex.count) + hex
    }()

    private static let installed = Mutex<LogSettings?>(nil)
    /// The level every logger without a level of its own uses, as an index into
    /// `Logger.Level.allCases`: the shell changes it for one command line (`--verbose`) where it
    /// cannot bootstrap again.
    private static let currentLevel = Atomic<Int>(Logger.Level.allCases.firstIndex(of: .warning)!)

    /// The settings installed by `bootstrap`, if it ran.
    static var settings: LogSettings? { installed.withLock { $0 } }

    /// The level loggers use unless one was set on them.
    static var level: Logger.Level {
        get { Logger.Level.allCases[currentLevel.load(ordering: .relaxed)] }
        set { currentLevel.store(Logger.Level.allCases.firstIndex(of: newValue)!, ordering: .relaxed) }
    }

    static func bootstrap(_ settings: LogSettings) throws(LogSettingsError) {
        let sink = try LogSink(path: settings.file)
        guard installed.withLock({ current in
            guard current == nil else { return false }
            current = settings
            return true
        }) else { return }
        level = settings.level
        let id = correlationID
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: settings.format, sink: sink, metadata: ["run": .string(id)])
        }
    }
}
