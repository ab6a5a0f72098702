/// A strategy's view on the current bar: go long, go short (or exit a long), or keep things as they
/// are. The kernel turns signals into orders according to the run's direction (long-only or
/// long/short) and sizing, so strategies stay free of execution details.
public enum Signal: Int8, Sendable, CustomStringConvertible {
    case sell = -1
    case hold = 0
    case buy = 1

    public var description: String {
        switch self {
        case .sell: "sell"
        case .hold: "hold"
        case .buy: "buy"
        }
    }
}
