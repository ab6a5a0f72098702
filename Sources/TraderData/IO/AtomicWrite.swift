/// Writes a whole file atomically (temporary file, `fsync`, rename; see `AtomicFile`): for the
/// small files other layers save, such as a trained selection model.
public enum AtomicWrite {
    public static func write(_ bytes: [UInt8], to path: String) throws(DataError) {
        try POSIXFile.writeAtomically(to: path) { (writer: inout POSIXFile.ChunkedWriter) throws(DataError) in
            var offset = 0
            while offset < bytes.count {
                let n = min(POSIXFile.ChunkedWriter.chunkSize, bytes.count - offset)
                try writer.append(maxBytes: n) { out in
                    bytes.withUnsafeBufferPointer { src in out.update(from: src.baseAddress! + offset, count: n) }
                    return n
                }
                offset += n
            }
        }
    }
}
