extension Regime {
    /// Position in `Regime.allCases` (bull-quiet 0 … crisis 6): the row and column of the regime
    /// in transition and confusion matrices, which are flat arrays for speed.
    @inlinable public var ordinal: Int {
        switch self {
        case .bullQuiet: 0
        case .bullVolatile: 1
        case .bearQuiet: 2
        case .bearVolatile: 3
        case .sidewaysQuiet: 4
        case .sidewaysVolatile: 5
        case .crisis: 6
        }
    }

    /// The regime at `ordinal` in `Regime.allCases`.
    @inlinable public init(ordinal: Int) {
        self = Regime.allCases[ordinal]
    }

    /// Whether the regime's volatility axis is volatile (crisis counts as volatile): the axis on
    /// which two methods can agree even when they read the trend differently.
    @inlinable public var isVolatile: Bool {
        switch self {
        case .bullVolatile, .bearVolatile, .sidewaysVolatile, .crisis: true
        case .bullQuiet, .bearQuiet, .sidewaysQuiet: false
        }
    }

    /// The trend axis: +1 bull, −1 bear (and crisis), 0 sideways.
    @inlinable public var direction: Int {
        switch self {
        case .bullQuiet, .bullVolatile: 1
        case .bearQuiet, .bearVolatile, .crisis: -1
        case .sidewaysQuiet, .sidewaysVolatile: 0
        }
    }
}
