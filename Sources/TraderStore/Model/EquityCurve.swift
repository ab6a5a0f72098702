public import TraderCore

/// An equity curve in columns: one timestamp (nanoseconds) and one equity value per bar.
///
/// Columns rather than an array of points because that is how the engine produces it
/// (`BacktestResult.timestamps`/`equity`) and how the bulk writers consume it. The timestamps
/// are a `BarColumn`, so a run's curve shares the bar series' timestamp column (for bars from
/// the bar store, the mapped file) instead of copying it to be saved.
public struct EquityCurve: Sendable, Equatable {
    public var timestamps: BarColumn<Int64>
    public var values: [Double]

    /// - Precondition: both columns have the same length.
    public init(timestamps: BarColumn<Int64>, values: [Double]) {
        precondition(timestamps.count == values.count, "equity curve: \(timestamps.count) timestamps for \(values.count) values")
        self.timestamps = timestamps
        self.values = values
    }

    /// - Precondition: both columns have the same length.
    public init(timestamps: [Int64], values: [Double]) {
        self.init(timestamps: BarColumn(timestamps), values: values)
    }

    public static let empty = EquityCurve(timestamps: BarColumn(), values: [])

    public var count: Int { values.count }
}
