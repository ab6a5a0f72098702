import NIOCore
import TraderCore

/// How a paper session's order events are stored since schema v10: each journal write packs the
/// events since the last into one row of `journal_chunks`, keyed by `(bot_id, session, first)`.
///
/// A replay at full speed makes ~110,000 order states and ~55,000 fills per million bars; as
/// rows (`orders`, `order_states`, `fills`) SQLite alone took 1.7–2.1 s for them, packed 0.1 s.
/// Events are numbered within their session, and a resumed session re-derives the same ones
/// (the kernel is deterministic): it skips those stored (`JournalPosition`), so chunks never
/// overlap and a retried write (same key) changes nothing.
///
/// A chunk row also carries what finds it without unpacking: the session's `record_key` (the
/// upper half of its record ids, `OrderIdentity.recordKey`) and the range of kernel order
/// numbers in it (`low_order`, `high_order`), for a lookup by order id; `last_at`, for the
/// newest orders first; `first_fill` and `fills`, for fill ids.
///
/// `data`: a format byte (1); the distinct strings (types and reasons: a count, then each); per
/// event a flags byte (kind in the low 3 bits, sell 0x08, then whether the limit, stop, average
/// fill price and execution are present: 0x10, 0x20, 0x40, 0x80), a type index and a reason
/// index; numbers, creation times and event times as `PackedWriter.times`; quantity and filled
/// quantity, then the limit, stop and average prices that are present, as XOR-packed doubles;
/// then the executions' times, quantities, prices and commissions.
enum JournalChunks {
    static let format: UInt8 = 1
    static let columns = ["bot_id", "session", "first", "count", "first_fill", "fills", "record_key", "low_order", "high_order",
                          "first_at", "last_at", "symbol", "data"]

    /// A stored chunk's key and place, read back with its bytes.
    struct Row {
        let botID: String
        let symbol: String
        let session: Int64
        let first: Int
        let count: Int
        let firstFill: Int
        /// The time of its newest event.
        let lastAt: Int64
        let data: [UInt8]
    }

    /// What the row of `packed` holds besides its bytes.
    struct Summary {
        let lowOrder: Int
        let highOrder: Int
        let firstAt: Int64
        let lastAt: Int64
        let fills: Int

        init(_ events: [OrderEvent]) {
            var low = Int.max, high = Int.min, firstAt = Int64.max, lastAt = Int64.min, fills = 0
            for e in events {
                low = min(low, e.number)
                high = max(high, e.number)
                firstAt = min(firstAt, e.at)
                lastAt = max(lastAt, e.at)
                if e.execution != nil { fills += 1 }
            }
            lowOrder = low
            highOrder = high
            self.firstAt = firstAt
            self.lastAt = lastAt
            self.fills = fills
        }
    }

    static func pack(_ events: [OrderEvent]) -> [UInt8] {
        var packed = PackedWriter(capacity: 64 + events.count * 24)
        packed.byte(format)
        var strings: [String] = [], index: [String: Int] = [:]
        func intern(_ s: String) -> Int {
            if let i = index[s] { return i }
            index[s] = strings.count
            strings.append(s)
            return strings.count - 1
        }
        var refs: [(type: Int, reason: Int)] = []
        refs.reserveCapacity(events.count)
        for e in events { refs.append((intern(e.type), intern(e.reason))) }
        packed.varint(UInt64(strings.count))
        for s in strings { packed.string(s) }
        for (e, r) in zip(events, refs) {
            var flags = e.kind.rawValue
            if e.side == .sell { flags |= 0x08 }
            if e.limitPrice != nil { flags |= 0x10 }
            if e.stopPrice != nil { flags |= 0x20 }
            if e.averageFillPrice != nil { flags |= 0x40 }
            if e.execution != nil { flags |= 0x80 }
            packed.byte(flags)
            packed.varint(UInt64(r.type))
            packed.varint(UInt64(r.reason))
        }
        packed.times(events.map { Int64($0.number) })
        packed.times(events.map(\.createdAt))
        packed.times(events.map(\.at))
        packed.doubles(events.map(\.quantity))
        packed.doubles(events.map(\.filledQuantity))
        packed.doubles(events.compactMap(\.limitPrice))
        packed.doubles(events.compactMap(\.stopPrice))
        packed.doubles(events.compactMap(\.averageFillPrice))
        let executions = events.compactMap(\.execution)
        packed.times(executions.map(\.at))
        packed.doubles(executions.map(\.quantity))
        packed.doubles(executions.map(\.price))
        packed.doubles(executions.map(\.commission))
        return packed.bytes
    }

    /// The `count` events of a chunk; bytes that are not such a chunk are corrupt.
    static func decode(_ bytes: [UInt8], count: Int) throws -> [OrderEvent] {
        var reader = PackedReader(bytes, field: "journal_chunks.data")
        guard count >= 0, count <= bytes.count else { throw reader.corrupt("a count of \(count) for \(bytes.count) bytes") }
        let version = try reader.byte()
        guard version == format else { throw reader.corrupt("unknown format \(version)") }
        let strings = try (0..<reader.count(atMost: bytes.count)).map { _ in try reader.string() }
        var flags: [UInt8] = [], types: [String] = [], reasons: [String] = []
        flags.reserveCapacity(count)
        for _ in 0..<count {
            let f = try reader.byte()
            guard f & 0x07 < UInt8(OrderEvent.Kind.allCases.count) else { throw reader.corrupt("unknown event kind \(f & 0x07)") }
            flags.append(f)
            types.append(try string(&reader, strings))
            reasons.append(try string(&reader, strings))
        }
        func present(_ bit: UInt8) -> Int { flags.reduce(0) { $0 + ($1 & bit != 0 ? 1 : 0) } }
        var numbers: [Int64] = [], created: [Int64] = [], at: [Int64] = []
        try reader.times(count, into: &numbers)
        try reader.times(count, into: &created)
        try reader.times(count, into: &at)
        var quantities: [Double] = [], filled: [Double] = [], limits: [Double] = [], stops: [Double] = [], averages: [Double] = []
        try reader.doubles(count, into: &quantities)
        try reader.doubles(count, into: &filled)
        try reader.doubles(present(0x10), into: &limits)
        try reader.doubles(present(0x20), into: &stops)
        try reader.doubles(present(0x40), into: &averages)
        let fills = present(0x80)
        var fillAt: [Int64] = [], fillQuantity: [Double] = [], fillPrice: [Double] = [], fillCommission: [Double] = []
        try reader.times(fills, into: &fillAt)
        try reader.doubles(fills, into: &fillQuantity)
        try reader.doubles(fills, into: &fillPrice)
        try reader.doubles(fills, into: &fillCommission)
        guard reader.isAtEnd else { throw reader.corrupt("bytes left after \(count) events") }
        var events: [OrderEvent] = []
        events.reserveCapacity(count)
        var l = 0, s = 0, a = 0, x = 0
        for i in 0..<count {
            let f = flags[i]
            var e = OrderEvent(kind: OrderEvent.Kind(rawValue: f & 0x07)!, number: Int(numbers[i]), side: f & 0x08 != 0 ? .sell : .buy,
                               type: types[i], quantity: quantities[i], filledQuantity: filled[i], createdAt: created[i], at: at[i],
                               reason: reasons[i])
            if f & 0x10 != 0 { e.limitPrice = limits[l]; l += 1 }
            if f & 0x20 != 0 { e.stopPrice = stops[s]; s += 1 }
            if f & 0x40 != 0 { e.averageFillPrice = averages[a]; a += 1 }
            if f & 0x80 != 0 {
                e.execution = OrderEvent.Execution(at: fillAt[x], quantity: fillQuantity[x], price: fillPrice[x], commission: fillCommission[x])
                x += 1
            }
            events.append(e)
        }
        return events
    }

    private static func string(_ reader: inout PackedReader, _ strings: [String]) throws -> String {
        let i = try reader.varint()
        guard i < UInt64(strings.count) else { throw reader.corrupt("string \(i) of \(strings.count)") }
        return strings[Int(i)]
    }
}
