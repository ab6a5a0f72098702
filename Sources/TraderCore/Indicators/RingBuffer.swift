/// A fixed-capacity window of the most recent values, the state behind rolling indicators.
///
/// Storage is allocated once at construction; `push` overwrites the oldest value in O(1).
public struct RingBuffer: Sendable {
    @usableFromInline var storage: [Double]
    @usableFromInline var head = 0
    @usableFromInline var _count = 0
    /// Number of values pushed so far, capped at `capacity`.
    @inlinable public var count: Int { _count }

    public init(capacity: Int) {
        precondition(capacity > 0, "RingBuffer capacity must be positive")
        storage = [Double](repeating: 0, count: capacity)
    }

    @inlinable public var capacity: Int { storage.count }
    @inlinable public var isFull: Bool { _count == storage.count }

    /// Appends `value`; returns the value it displaced once the buffer is full, else nil.
    @inlinable @discardableResult
    public mutating func push(_ value: Double) -> Double? {
        let old = storage[head]
        storage[head] = value
        head += 1
        if head == storage.count { head = 0 }
        if _count < storage.count { _count += 1; return nil }
        return old
    }

    /// Appends `value` and returns the value it displaced, or 0 while the buffer is filling (the
    /// branch-light form the running-sum indicators use on the hot path).
    @inline(__always) @inlinable
    public mutating func pushEvicting(_ value: Double) -> Double {
        let h = head
        let old = _count == storage.count ? storage[h] : 0
        storage[h] = value
        head = h + 1 == storage.count ? 0 : h + 1
        if _count < storage.count { _count += 1 }
        return old
    }

    /// The value pushed `ago` pushes before the newest (0 = newest).
    @inlinable public subscript(ago ago: Int) -> Double {
        var i = head - 1 - ago
        if i < 0 { i += storage.count }
        return storage[i]
    }

    /// The oldest value in the window.
    @inlinable public var oldest: Double { self[ago: count - 1] }
}
