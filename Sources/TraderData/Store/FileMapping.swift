#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TraderCore

/// A whole file mapped read-only, unmapped when the last user lets go: the owner of the
/// zero-copy columns a bar store file hands out (`BarColumn(unsafeBuffer:owner:)`).
///
/// A `BarStoreFile` makes one on open; every series and slice loaded from it retains it, so the
/// pages stay valid after the file object (and its descriptor) are gone, and are unmapped with
/// the last series. Sendable because nothing is ever written through it (`PROT_READ`) and its
/// fields are fixed at `init`.
///
/// What a mapping does not survive is the file being truncated in place: reading a page past
/// the new end raises SIGBUS. The store never does that — every writer writes a temporary file
/// and renames it over the old one, and a mapping keeps the old inode (its data unchanged) alive
/// until it is unmapped — and the documentation tells users to replace store files the same way
/// (`data import`), not by copying over them (docs/bar-store.md).
final class FileMapping: @unchecked Sendable {
    /// The file's first byte.
    let base: UnsafeRawPointer
    /// Bytes mapped: the whole file.
    let size: Int

    /// Maps `size` bytes of the open file `fd` read-only and shared (page-cache pages, no copy).
    /// Returns nil with `errno` set when `mmap` fails.
    init?(fd: Int32, size: Int) {
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), address != UnsafeMutableRawPointer(bitPattern: -1) else {
            return nil
        }
        base = UnsafeRawPointer(address)
        self.size = size
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), size)
    }

    /// `count` values of `T` from byte `offset`, kept alive by this mapping.
    func column<T: BitwiseCopyable & Sendable>(at offset: Int, count: Int, _: T.Type = T.self) -> BarColumn<T> {
        precondition(offset >= 0 && offset + count * MemoryLayout<T>.stride <= size, "column outside the mapping")
        let start = (base + offset).assumingMemoryBound(to: T.self)
        return BarColumn(unsafeBuffer: UnsafeBufferPointer(start: start, count: count), owner: self)
    }

    /// Takes the pages of bytes `offset ..< offset + count` out of this process's resident
    /// memory (they stay in the page cache, and come back, unchanged, on the next touch).
    ///
    /// Hashing a column through the mapping makes all of it resident, though a loaded range may
    /// need a sliver of it; dropping the pages afterwards keeps a process's memory at what its
    /// readers actually touch.
    func dropResidentPages(offset: Int, count: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let lower = offset / page * page, upper = Swift.min(size, offset + count)
        guard upper > lower else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + lower), upper - lower, MADV_DONTNEED)
    }
}
