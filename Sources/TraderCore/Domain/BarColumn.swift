/// One column of a `BarSeries`: a read-only, contiguous run of `Element`s and the object that
/// keeps that memory alive.
///
/// Why not an `Array`: an array must own its storage, so bars read from a memory-mapped store
/// file would have to be copied into one (48 bytes a bar: 480 MB for ten million bars, on top of
/// the file's own pages). A column instead points at memory some owner keeps valid — the
/// storage of an array for bars built in memory (`init(_:)`), or the mapping of a store file
/// (`init(unsafeBuffer:owner:)`, used by TraderData) — and retains that owner, so the memory
/// lives exactly as long as any column, series or slice that uses it. TraderCore knows only
/// that there is an owner; what it is (and any I/O behind it) stays with whoever made it.
///
/// Reading an element is a bounds check against the inline `count` and one load, as fast as an
/// array's (which first loads its count and buffer from the heap); the backtest loop uses
/// `withUnsafeBufferPointer`, as it did with arrays. Slicing (`extracting(_:)`) shares the
/// owner and copies nothing.
///
/// Sendable because the memory is never written after the column is made: an array-backed
/// column keeps its array in an immutable box, and an owner passed to
/// `init(unsafeBuffer:owner:)` promises the same (a store file is mapped read-only).
public struct BarColumn<Element: BitwiseCopyable & Sendable>: @unchecked Sendable {
    /// The first element; nil only for an empty column.
    @usableFromInline let start: UnsafePointer<Element>?
    /// Number of elements.
    public let count: Int
    /// Keeps `start ..< start + count` valid and unchanged while this column exists.
    @usableFromInline let owner: (any AnyObject & Sendable)?

    /// A column holding `values` (their storage is shared, not copied).
    public init(_ values: [Element]) {
        let box = ArrayColumnStorage(values)
        start = box.values.withUnsafeBufferPointer { $0.baseAddress }
        count = box.values.count
        owner = box
    }

    /// A column over memory that `owner` keeps valid: for zero-copy readers such as the
    /// memory-mapped bar store.
    ///
    /// - Precondition: as long as `owner` is alive, `buffer` stays mapped and nobody writes to it.
    public init(unsafeBuffer buffer: UnsafeBufferPointer<Element>, owner: any AnyObject & Sendable) {
        start = buffer.baseAddress
        count = buffer.count
        self.owner = owner
    }

    @usableFromInline
    init(start: UnsafePointer<Element>?, count: Int, owner: (any AnyObject & Sendable)?) {
        self.start = start
        self.count = count
        self.owner = owner
    }

    /// An empty column.
    public init() {
        self.init(start: nil, count: 0, owner: nil)
    }

    /// Calls `body` with the elements as a buffer, valid only inside `body` (the owner is kept
    /// alive until it returns). The way hot loops read a column.
    @inlinable @inline(__always)
    public func withUnsafeBufferPointer<R, E: Error>(_ body: (UnsafeBufferPointer<Element>) throws(E) -> R) throws(E) -> R {
        defer { withExtendedLifetime(owner) {} }
        return try body(UnsafeBufferPointer(start: start, count: count))
    }

    /// Calls `body` with the elements' bytes, valid only inside `body`.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }

    /// The elements at `range`, sharing this column's memory (no copy). Indices of the result
    /// start at 0.
    @inlinable
    public func extracting(_ range: Range<Int>) -> BarColumn {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "BarColumn range \(range) out of 0..<\(count)")
        return BarColumn(start: range.isEmpty ? nil : start.map { $0 + range.lowerBound }, count: range.count,
                         owner: range.isEmpty ? nil : owner)
    }

    /// The elements in a new array (a copy).
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }

    /// Whether this column's memory is kept by `owner` (how a test tells a mapped column from a
    /// copied one).
    public func isOwned(by owner: AnyObject) -> Bool {
        self.owner.map { $0 === owner } ?? false
    }
}

extension BarColumn: RandomAccessCollection {
    public typealias Index = Int
    public typealias Indices = Range<Int>

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The element at `position`; traps when it is outside `0 ..< count`, like an array.
    @inlinable
    public subscript(position: Int) -> Element {
        precondition(UInt(bitPattern: position) < UInt(bitPattern: count), "BarColumn index out of range")
        return withExtendedLifetime(owner) { start.unsafelyUnwrapped[position] }
    }

    @inlinable
    public func withContiguousStorageIfAvailable<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R? {
        defer { withExtendedLifetime(owner) {} }
        return try body(UnsafeBufferPointer(start: start, count: count))
    }
}

extension BarColumn: Equatable where Element: Equatable {
    /// Element by element, like arrays (so a NaN differs from itself).
    @inlinable
    public static func == (lhs: BarColumn, rhs: BarColumn) -> Bool {
        lhs.count == rhs.count && lhs.elementsEqual(rhs)
    }
}

extension BarColumn: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) {
        self.init(elements)
    }
}

extension BarColumn: CustomStringConvertible {
    /// Printed like an array.
    public var description: String { array.description }
}

/// The immutable box that keeps an array-backed column's elements alive.
///
/// A `ContiguousArray` always has native, contiguous storage (never a bridged, lazily copied
/// one), and a `let` in a class is never mutated, so the storage never moves or is copied on
/// write: the element pointer taken in `BarColumn.init(_:)` stays valid while this box lives.
/// Converting an `Array` to it shares the array's buffer rather than copying it.
final class ArrayColumnStorage<Element: Sendable>: Sendable {
    let values: ContiguousArray<Element>

    init(_ values: [Element]) {
        self.values = ContiguousArray(values)
    }
}
