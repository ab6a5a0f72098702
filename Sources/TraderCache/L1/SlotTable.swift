/// The index of one L1 shard: an open-addressing hash table with linear probing from entry hashes
/// to entry numbers, in one flat array of 64-bit slots (no per-slot references, so a probe
/// touches one cache line and retains nothing).
///
/// A slot holds the upper 32 bits of the entry's hash (a tag that rejects almost every other key
/// without looking at its string) and the entry number plus one; zero is empty. The home slot is
/// taken from the hash's top bits, which the tag contains, so the table can move slots (on
/// removal and growth) without the keys. Removal shifts the following slots back instead of
/// leaving tombstones, so probe lengths do not degrade with churn. At most half the slots are
/// used (the owner sizes it to twice its entry capacity).
@usableFromInline
struct SlotTable: ~Copyable {
    @usableFromInline let slots: UnsafeMutablePointer<UInt64>
    @usableFromInline let mask: Int
    /// 64 minus log2(slot count): `hash >> shift` is the home slot.
    @usableFromInline let shift: UInt64

    /// A table of at least `minimumSlots` slots (a power of two, at most 2^32), all empty.
    @usableFromInline
    init(minimumSlots: Int) {
        var bits = 3
        while 1 << bits < minimumSlots { bits += 1 }
        precondition(bits <= 32, "an L1 shard holds at most 2^31 entries")
        slots = .allocate(capacity: 1 << bits)
        slots.initialize(repeating: 0, count: 1 << bits)
        mask = (1 << bits) - 1
        shift = UInt64(64 - bits)
    }

    @inlinable deinit { slots.deallocate() }

    @inlinable @inline(__always)
    func home(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: hash >> shift) }

    @inlinable @inline(__always)
    static func slot(hash: UInt64, entry: Int32) -> UInt64 {
        (hash & 0xFFFF_FFFF_0000_0000) | UInt64(UInt32(bitPattern: entry) &+ 1)
    }

    /// The entry with `hash` for which `matches` is true, or -1. `matches` sees only entries whose
    /// tag equals the hash's.
    @inlinable @inline(__always)
    func find(_ hash: UInt64, where matches: (Int32) -> Bool) -> Int32 {
        let tag = hash >> 32
        var i = home(hash)
        while true {
            let s = slots[i]
            if s == 0 { return -1 }
            if s >> 32 == tag {
                let entry = Int32(truncatingIfNeeded: s) &- 1
                if matches(entry) { return entry }
            }
            i = (i &+ 1) & mask
        }
    }

    /// Records `entry` under `hash` (not there yet).
    @inlinable
    func insert(_ hash: UInt64, entry: Int32) {
        place(Self.slot(hash: hash, entry: entry))
    }

    @inlinable
    func place(_ slot: UInt64) {
        var i = home(slot)
        while slots[i] != 0 { i = (i &+ 1) & mask }
        slots[i] = slot
    }

    /// Forgets `entry`, stored under `hash`, and closes the gap: each following slot of the run
    /// whose home is at or before the hole moves into it.
    @inlinable
    func remove(_ hash: UInt64, entry: Int32) {
        let target = Self.slot(hash: hash, entry: entry)
        var hole = home(hash)
        while slots[hole] != target {
            precondition(slots[hole] != 0, "L1 table: removing an entry that is not there")
            hole = (hole &+ 1) & mask
        }
        var next = (hole &+ 1) & mask
        while slots[next] != 0 {
            let s = slots[next]
            // Movable if the hole lies on its probe path: from its home up to `next`.
            if (next &- home(s)) & mask >= (next &- hole) & mask {
                slots[hole] = s
                hole = next
            }
            next = (next &+ 1) & mask
        }
        slots[hole] = 0
    }

    /// Records that the entry stored under `hash` as `old` is now `new`.
    @inlinable
    func renumber(_ hash: UInt64, from old: Int32, to new: Int32) {
        let target = Self.slot(hash: hash, entry: old)
        var i = home(hash)
        while slots[i] != target {
            precondition(slots[i] != 0, "L1 table: renumbering an entry that is not there")
            i = (i &+ 1) & mask
        }
        slots[i] = Self.slot(hash: hash, entry: new)
    }

    /// Every slot of `self` placed into a new table of at least `minimumSlots` slots.
    @usableFromInline
    func resized(minimumSlots: Int) -> SlotTable {
        let bigger = SlotTable(minimumSlots: minimumSlots)
        for i in 0...mask where slots[i] != 0 { bigger.place(slots[i]) }
        return bigger
    }

    /// Empties every slot.
    @usableFromInline
    func clear() { slots.update(repeating: 0, count: mask + 1) }
}
