/// What is traded: a symbol and the rules that shape orders and annualization.
public struct Instrument: Hashable, Sendable, CustomStringConvertible {
    /// The broad market an instrument trades in; it decides default calendar conventions.
    public enum AssetClass: String, Sendable, CaseIterable, Codable {
        case equity, crypto, fx, future, other
    }

    public let symbol: String
    public let assetClass: AssetClass
    /// Smallest quantity step; 1 for whole shares, 0 for any fraction.
    public let lotSize: Double
    /// Smallest price step, 0 when prices are continuous.
    public let tickSize: Double

    public init(symbol: String, assetClass: AssetClass = .equity, lotSize: Double = 1, tickSize: Double = 0) throws(DomainError) {
        guard !symbol.isEmpty, !symbol.contains(where: { $0.isWhitespace }) else {
            throw .invalid(field: "symbol", reason: "'\(symbol)' must be non-empty and contain no spaces")
        }
        guard lotSize >= 0, lotSize.isFinite else { throw .invalid(field: "lotSize", reason: "must be >= 0, got \(lotSize)") }
        guard tickSize >= 0, tickSize.isFinite else { throw .invalid(field: "tickSize", reason: "must be >= 0, got \(tickSize)") }
        self.symbol = symbol
        self.assetClass = assetClass
        self.lotSize = lotSize
        self.tickSize = tickSize
    }

    public var description: String { symbol }
}
