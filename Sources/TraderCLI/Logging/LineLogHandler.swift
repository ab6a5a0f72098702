import TraderCore
import Foundation
import Logging
import Synchronization
import TraderApp

/// Writes log records as lines — human (`2026-11-26T10:00:00.123Z warning gpt-trader.cache: …
/// key=value`) or JSON (`{"ts":…,"level":…,"label":…,"message":…,"run":…}`) — to standard error
/// and, when configured, appended to a file. Every record carries the run's correlation id
/// (`run`), so the lines of one command (or, later, one API request) can be picked out of a shared
/// log.
struct LineLogHandler: LogHandler {
    let label: String
    let format: LogSettings.Format
    let sink: LogSink
    var metadata: Logger.Metadata
    /// A level set on this logger (`logger.logLevel = .error`); without one, the process's
    /// current level (`LoggingSetup.level`), which the shell may change between commands.
    private var ownLevel: Logger.Level?

    init(label: String, format: LogSettings.Format, sink: LogSink, metadata: Logger.Metadata) {
        self.label = label
        self.format = format
        self.sink = sink
        self.metadata = metadata
    }

    var logLevel: Logger.Level {
        get { ownLevel ?? LoggingSetup.level }
        set { ownLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        var all = metadata
        if let extra { all.merge(extra) { $1 } }
        let time = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
        // Every message and value is scrubbed of credentials (a library's error may quote a URL)
        // and made one line, whatever it quotes.
        func clean(_ text: String) -> String { DisplayText.line(Redaction.scrub(text)) }
        func value(_ key: String, _ v: Logger.Metadata.Value) -> String { Redaction.isSecretName(key) ? Redaction.mask : clean("\(v)") }
        let text: String
        switch format {
        case .human:
            let pairs = all.sorted { $0.key < $1.key }.map { "\($0.key)=\(value($0.key, $0.value))" }.joined(separator: " ")
            text = "\(time) \(level) \(label): \(clean("\(message)"))" + (pairs.isEmpty ? "" : " " + pairs)
        case .json:
            let fields: [(String, JSONValue)] = [("ts", .string(time)), ("level", .string(level.rawValue)), ("label", .string(label)),
                                                 ("message", .string(clean("\(message)")))]
            text = JSONValue.object(fields + all.sorted { $0.key < $1.key }.map { ($0.key, .string(value($0.key, $0.value))) }).serialized(indent: nil)
        }
        sink.write(text + "\n")
    }
}

/// Where lines go: standard error, and a file opened for appending (one write per line, under a
/// lock, so lines from concurrent tasks never interleave).
final class LogSink: Sendable {
    private let file: Mutex<FileHandle?>

    init(path: String?) throws(LogSettingsError) {
        guard let path else { file = Mutex(nil); return }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw LogSettingsError(message: "--log-file: \(path): not a regular file (a directory)")
        }
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw LogSettingsError(message: "--log-file: cannot create \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw LogSettingsError(message: "--log-file: cannot open \(path) for writing") }
        handle.seekToEndOfFile()
        file = Mutex(handle)
    }

    func write(_ line: String) {
        let data = Data(line.utf8)
        file.withLock { handle in
            FileHandle.standardError.write(data)
            handle?.write(data)
        }
    }
}
