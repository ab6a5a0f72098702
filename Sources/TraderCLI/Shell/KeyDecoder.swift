/// A key the line editor acts on, named for what it does rather than for the bytes that sent it
/// (Ctrl-A and Home are both `.home`).
enum Key: Equatable, Sendable {
    case insert(Character)
    case enter, tab
    case left, right, wordLeft, wordRight, home, end
    case up, down
    case backspace, delete
    /// Ctrl-D: delete under the cursor, or end of input on an empty line.
    case deleteOrEndOfInput
    case killToEnd, killToStart, killWordBackward
    case clearScreen
    /// Ctrl-C.
    case interrupt
}

/// Turns the bytes a terminal sends into keys: UTF-8 text, control characters and the escape
/// sequences of the cursor keys in both of their forms (`ESC [ A` in normal mode, `ESC O A` in
/// application mode; Home/End as `ESC [ H`, `ESC [ 1 ~`, `ESC [ 7 ~`, ...).
///
/// Pure and incremental — a sequence split across two reads decodes the same as one read — so
/// it is tested byte by byte without a terminal.
struct KeyDecoder: Sendable {
    private enum State: Equatable, Sendable {
        case ground
        /// After ESC.
        case escape
        /// After `ESC [`, collecting parameter bytes.
        case csi([UInt8])
        /// After `ESC O`.
        case ss3
        /// Inside a UTF-8 sequence: the bytes so far and how many it needs.
        case utf8([UInt8], needed: Int)
    }

    private var state = State.ground

    /// The key `byte` completes, if any.
    mutating func feed(_ byte: UInt8) -> Key? {
        switch state {
        case .ground:
            return ground(byte)
        case .escape:
            state = .ground
            switch byte {
            case UInt8(ascii: "["): state = .csi([])
            case UInt8(ascii: "O"): state = .ss3
            case UInt8(ascii: "b"), UInt8(ascii: "B"): return .wordLeft
            case UInt8(ascii: "f"), UInt8(ascii: "F"): return .wordRight
            case 0x7F, 0x08: return .killWordBackward
            case 0x1B: state = .escape
            default: break
            }
            return nil
        case .csi(var parameters):
            // Parameter and intermediate bytes are 0x20...0x3F; a final byte 0x40...0x7E ends it.
            guard (0x40...0x7E).contains(byte) else {
                if (0x20...0x3F).contains(byte), parameters.count < 16 {
                    parameters.append(byte)
                    state = .csi(parameters)
                } else {
                    state = .ground
                }
                return nil
            }
            state = .ground
            return Self.csi(final: byte, parameters: String(decoding: parameters, as: UTF8.self))
        case .ss3:
            state = .ground
            return Self.cursorKey(byte)
        case .utf8(var bytes, let needed):
            guard byte & 0xC0 == 0x80 else {
                // Not a continuation byte: drop the broken sequence, read this byte afresh.
                state = .ground
                return ground(byte)
            }
            bytes.append(byte)
            if bytes.count < needed {
                state = .utf8(bytes, needed: needed)
                return nil
            }
            state = .ground
            return Self.text(bytes)
        }
    }

    private mutating func ground(_ byte: UInt8) -> Key? {
        switch byte {
        case 0x01: return .home
        case 0x02: return .left
        case 0x03: return .interrupt
        case 0x04: return .deleteOrEndOfInput
        case 0x05: return .end
        case 0x06: return .right
        case 0x08, 0x7F: return .backspace
        case 0x09: return .tab
        case 0x0A, 0x0D: return .enter
        case 0x0B: return .killToEnd
        case 0x0C: return .clearScreen
        case 0x0E: return .down
        case 0x10: return .up
        case 0x15: return .killToStart
        case 0x17: return .killWordBackward
        case 0x1B: state = .escape; return nil
        case 0x20...0x7E: return .insert(Character(Unicode.Scalar(byte)))
        case 0xC2...0xDF: state = .utf8([byte], needed: 2); return nil
        case 0xE0...0xEF: state = .utf8([byte], needed: 3); return nil
        case 0xF0...0xF4: state = .utf8([byte], needed: 4); return nil
        default: return nil  // other control characters and stray bytes
        }
    }

    private static func text(_ bytes: [UInt8]) -> Key? {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return nil }
        // C1 controls are not text.
        if (0x80...0x9F).contains(scalar.value) { return nil }
        return .insert(Character(scalar))
    }

    private static func cursorKey(_ final: UInt8) -> Key? {
        switch final {
        case UInt8(ascii: "A"): .up
        case UInt8(ascii: "B"): .down
        case UInt8(ascii: "C"): .right
        case UInt8(ascii: "D"): .left
        case UInt8(ascii: "H"): .home
        case UInt8(ascii: "F"): .end
        default: nil
        }
    }

    /// `ESC [ params final`: cursor keys (with a modifier, `1;5C`, Ctrl/Alt-arrows move by word)
    /// and the `~` keys (1/7 Home, 4/8 End, 3 Delete).
    private static func csi(final: UInt8, parameters: String) -> Key? {
        if final == UInt8(ascii: "~") {
            switch parameters {
            case "1", "7": return .home
            case "4", "8": return .end
            case "3": return .delete
            default: return nil
            }
        }
        guard let key = cursorKey(final) else { return nil }
        let modifier = parameters.split(separator: ";").dropFirst().first.flatMap { Int($0) } ?? 1
        if modifier > 1 {
            if key == .left { return .wordLeft }
            if key == .right { return .wordRight }
        }
        return key
    }
}
