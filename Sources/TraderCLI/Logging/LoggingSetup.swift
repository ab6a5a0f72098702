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

    private static let installed = Mutex(false)

    static func bootstrap(_ settings: LogSettings) throws(LogSettingsError) {
        let sink = try LogSink(path: settings.file)
        guard installed.withLock({ done in defer { done = true }; return !done }) else { return }
        let id = correlationID
        LoggingSystem.bootstrap { label in
            LineLogHandler(label: label, format: settings.format, sink: sink, logLevel: settings.level, metadata: ["run": .string(id)])
        }
    }
}
