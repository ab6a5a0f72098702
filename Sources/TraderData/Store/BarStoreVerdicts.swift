#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Which bar store files have had their column checksums verified, so each version of a file is
/// hashed once, not on every load.
///
/// A verdict is keyed by the file's identity (`FileIdentity`: device, inode, size, mtime and
/// ctime in nanoseconds) and its header checksum. Only good verdicts are kept (a damaged file is
/// hashed, and refused, every time), and only for a version that had settled before it was read
/// (`FileIdentity.isSettled`), so any later write to the file changes the key and the file is
/// verified again.
///
/// Two places remember: this process (a set of keys) and a small text file beside the store
/// files, `.gtbars-verified`, so the next process loads at memory speed too:
///
/// ```
/// gtbars-verified 1
/// GOOG_1d.gtbars 2049 1837465 103520 1733520000123456789 1733520000123456789 9f3c0a77e1b2d4c6
/// end 0b5e2f7a9c1d3e48
/// ```
///
/// Each line is a file name, device, inode, size, mtime, ctime and header checksum (hex); the
/// last line is the XXH64 of everything before it. A verdict file that does not parse in full,
/// or whose checksum differs, is ignored as a whole (and replaced at the next verdict). It is
/// written atomically, and not at all when the directory is read-only (verdicts then last as long
/// as the process). Two processes recording at once may lose one verdict; that file is then
/// verified again. The file system's timestamps are trusted: damage below the file system that
/// leaves them alone (a failing disk) is caught by `gpt-trader data info`, which always hashes.
enum BarStoreVerdicts {
    /// What a verdict is about: one version of one file.
    struct Key: Hashable, Sendable {
        var identity: FileIdentity
        var headerChecksum: UInt64
    }

    /// Name of the verdict file in a store directory.
    static let fileName = ".gtbars-verified"
    /// Largest verdict file read (a line per store file, about 100 bytes each).
    static let maxFileBytes = 1 << 20
    /// Most verdicts kept in memory and on disk.
    static let maxEntries = 4_096

    private static let remembered = Mutex<Set<Key>>([])

    /// Whether `key` is known to be good: in this process, or in the verdict file of `directory`
    /// under `name`.
    static func isVerified(_ key: Key, name: String, directory: String) -> Bool {
        if remembered.withLock({ $0.contains(key) }) { return true }
        guard read(directory: directory)[name] == key else { return false }
        remember(key)
        return true
    }

    /// Records a good verdict on `key` (file `name` in `directory`) here and in the verdict file.
    static func record(_ key: Key, name: String, directory: String) {
        remember(key)
        guard isStorable(name) else { return }
        var entries = read(directory: directory)
        guard entries[name] != key else { return }
        entries[name] = key
        // Keep only files that are still there.
        entries = entries.filter { entry in
            var info = stat()
            return lstat(path(directory, entry.key), &info) == 0
        }
        if entries.count > maxEntries { entries = [name: key] }
        write(entries, directory: directory)
    }

    /// Forgets every verdict this process holds (tests; the verdict files are left).
    static func forgetRemembered() { remembered.withLock { $0.removeAll() } }

    private static func remember(_ key: Key) {
        remembered.withLock { keys in
            if keys.count >= maxEntries { keys.removeAll() }
            keys.insert(key)
        }
    }

    // MARK: - The verdict file

    static func path(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : "\(directory)/\(name)"
    }

    /// A name that fits on a line of the file: no spaces or control characters.
    private static func isStorable(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 255 && !name.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F })
    }

    /// The verdicts in `directory`'s verdict file; empty when it is missing or does not parse.
    static func read(directory: String) -> [String: Key] {
        guard let bytes = try? POSIXFile.readAll(path: path(directory, fileName), limit: maxFileBytes) else { return [:] }
        return parse(bytes) ?? [:]
    }

    /// The verdicts in `bytes`, or nil unless every line parses and the checksum matches.
    static func parse(_ bytes: [UInt8]) -> [String: Key]? {
        guard let text = String(validating: bytes, as: UTF8.self), text.hasSuffix("\n") else { return nil }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 2, lines[0] == header, let last = lines.last, last.hasPrefix("end ") else { return nil }
        let bodyLength = bytes.count - last.utf8.count - 1
        let stored = UInt64(last.dropFirst(4), radix: 16)
        guard last.utf8.count == 20, let stored,
              stored == bytes.withUnsafeBytes({ XXHash64.hash(UnsafeRawBufferPointer(rebasing: $0[0..<bodyLength])) })
        else { return nil }
        var entries: [String: Key] = [:]
        for line in lines.dropFirst().dropLast() {
            let f = line.split(separator: " ", omittingEmptySubsequences: false)
            guard f.count == 7, isStorable(String(f[0])),
                  let device = UInt64(f[1]), let inode = UInt64(f[2]), let size = Int64(f[3]),
                  let modified = Int64(f[4]), let changed = Int64(f[5]), f[6].utf8.count == 16, let checksum = UInt64(f[6], radix: 16)
            else { return nil }
            entries[String(f[0])] = Key(identity: FileIdentity(device: device, inode: inode, size: size, modified: modified, changed: changed),
                                        headerChecksum: checksum)
        }
        return entries
    }

    private static let header = "gtbars-verified 1"

    /// The text of a verdict file holding `entries`.
    static func encode(_ entries: [String: Key]) -> [UInt8] {
        var text = header + "\n"
        for (name, key) in entries.sorted(by: { $0.key < $1.key }) {
            let i = key.identity
            text += "\(name) \(i.device) \(i.inode) \(i.size) \(i.modified) \(i.changed) \(BarStoreHeader.hex(key.headerChecksum))\n"
        }
        var bytes = Array(text.utf8)
        bytes += Array("end \(BarStoreHeader.hex(XXHash64.hash(bytes)))\n".utf8)
        return bytes
    }

    /// Replaces the verdict file atomically; does nothing when the directory cannot be written.
    private static func write(_ entries: [String: Key], directory: String) {
        try? AtomicWrite.write(encode(entries), to: path(directory, fileName))
    }
}
