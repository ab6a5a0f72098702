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
