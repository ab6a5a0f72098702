/// An equity curve in columns: one timestamp (nanoseconds) and one equity value per bar.
///
/// Columns rather than an array of points because that is how the engine produces it
/// (`BacktestResult.timestamps`/`equity`) and how the bulk writers consume it.
public struct EquityCurve: Sendable, Equatable {
    public var timestamps: [Int64]
    public var values: [Double]

    /// - Precondition: both columns have the same length.
    public init(timestamps: [Int64], values: [Double]) {
        precondition(timestamps.count == values.count, "equity curve: \(timestamps.count) timestamps for \(values.count) values")
        self.timestamps = timestamps
        self.values = values
    }

    public static let empty = EquityCurve(timestamps: [], values: [])

    public var count: Int { values.count }
}
