#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a whole file atomically (temporary file, `fsync`, rename; see `AtomicFile`): for the
/// files other layers save — reports, equity curves, heat maps, a trained selection model, the
/// configuration file. Going through `AtomicFile` rather than Foundation's atomic write means a
/// signal that ends the process removes the temporary file, a stale one left by a killed
/// process is cleaned up by the next write, and a folder given as the file is refused in one
/// plain line (`out: not a regular file (a directory)`).
public enum AtomicWrite {
    /// Writes `bytes` to `path` (mode `mode` for a new file; 0644 unless given).
    public static func write(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o644) throws(DataError) {
        let outcome = bytes.withUnsafeBytes { buffer in Result { () throws(DataError) in try write(buffer, to: path, mode: mode) } }
        try outcome.get()
    }

    /// Writes the UTF-8 of `text` to `path`.
    public static func write(_ text: String, to path: String, mode: UInt32 = 0o644) throws(DataError) {
        var text = text
        let outcome = text.withUTF8 { utf8 in Result { () throws(DataError) in try write(UnsafeRawBufferPointer(utf8), to: path, mode: mode) } }
        try outcome.get()
    }

    private static func write(_ bytes: UnsafeRawBufferPointer, to path: String, mode: UInt32) throws(DataError) {
        let file = try AtomicFile(replacing: path, mode: mode_t(mode))
        do throws(DataError) {
            try file.write(bytes, at: 0)
            try file.commit()
        } catch {
            file.abandon()
            throw error
        }
    }
}
