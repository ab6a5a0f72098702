public import Foundation

/// The ids of one bot session's records, derived from the bot's name, the session's start and a
/// number: the same on every start of the session, so a session resumed after a crash writes the
/// records it had written (the store keeps each once) and sends the client order ids it had sent
/// (the venue refuses a second order under one id). Nothing random, nothing counted elsewhere.
public struct OrderIdentity: Sendable, Hashable {
    public let bot: String
    public let session: Int64
    let key: UInt64

    public init(bot: String, session: Int64) {
        self.bot = bot
        self.session = session
        key = Self.fnv1a("\(bot)#\(session)")
    }

    /// The kernel's order `kernelID`: its record's id and, as text, its client order id at a
    /// venue. Kinds of record are told apart by the top byte, the number is in the other 56 bits
    /// (the kernel numbers orders it makes itself below zero: two's complement keeps them apart).
    public func order(_ kernelID: Int) -> UUID { Self.uuid(key, 1 << 56 | UInt64(truncatingIfNeeded: kernelID) & Self.low56) }
    /// The session's fill number `sequence`.
    public func fill(_ sequence: Int) -> UUID { Self.uuid(key, 2 << 56 | UInt64(truncatingIfNeeded: sequence) & Self.low56) }
    /// The checkpoint taken after `bars` bars.
    public func checkpoint(_ bars: Int) -> UUID { Self.uuid(key, 3 << 56 | UInt64(truncatingIfNeeded: bars) & Self.low56) }

    /// The client order id of the kernel's order `kernelID` (lower-case UUID text, as venues take).
    public func clientOrderID(_ kernelID: Int) -> String { order(kernelID).uuidString.lowercased() }
    /// The client order id of the `revision`th replacement (1, 2, ...) of the kernel's order
    /// `kernelID` at a venue that replaces an order by a new one (Alpaca): derived like the
    /// first, so a replace retried after a crash or a lost answer is looked up, never sent twice.
    /// The revision takes the number's top 8 bits (kernel numbers stay within 48).
    public func replacementClientOrderID(_ kernelID: Int, revision: Int) -> String {
        let low = 4 << 56 | (UInt64(truncatingIfNeeded: revision) & 0xff) << 48 | UInt64(truncatingIfNeeded: kernelID) & Self.low48
        return Self.uuid(key, low).uuidString.lowercased()
    }

    /// The start every client order id of this session shares (the bot and session half).
    public var clientOrderPrefix: String { String(clientOrderID(0).prefix(18)) }

    /// The paper broker's id of the kernel's order `kernelID`: `paper-SESSION-NUMBER`, so a
    /// session's orders can be told from the bot's earlier sessions' (`paperOrderPrefix`).
    public func paperBrokerID(_ kernelID: Int) -> String { Self.paperOrderPrefix(session: session) + String(kernelID) }
    public static func paperOrderPrefix(session: Int64) -> String { "paper-\(session)-" }

    /// The upper half of every record id of this session (the bot and session half, as stored
    /// in a UUID): what a packed journal chunk is found by when one of its records is asked for.
    public var recordKey: Int64 { Self.halves(order(0)).high }

    /// What a record id derived here holds: its session's `recordKey`, its kind (1 an order,
    /// 2 a fill, 3 a checkpoint) and its number; nil for ids derived otherwise.
    public static func parse(_ id: UUID) -> (recordKey: Int64, kind: Int, number: Int)? {
        let (high, low) = halves(id)
        // Version 8 and the RFC 4122 variant, as `uuid` writes them.
        guard UInt64(bitPattern: high) >> 12 & 0xf == 8, low >> 62 == 2 else { return nil }
        let kind = Int(low >> 56 & 0x3f)
        guard (1...3).contains(kind) else { return nil }
        // Kernel numbers below zero keep their sign through the 56 bits.
        let number = Int(Int64(bitPattern: low << 8) >> 8)
        return (high, kind, number)
    }

    static func halves(_ id: UUID) -> (high: Int64, low: UInt64) {
        let u = id.uuid
        let high = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = [u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (Int64(bitPattern: high), low)
    }

    static let low56: UInt64 = (1 << 56) - 1
    static let low48: UInt64 = (1 << 48) - 1

    static func uuid(_ high: UInt64, _ low: UInt64) -> UUID {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<8 {
            bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
            bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
        }
        bytes[6] = bytes[6] & 0x0f | 0x80  // version 8: custom, deterministic
        bytes[8] = bytes[8] & 0x3f | 0x80  // RFC 4122 variant
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }
}
