/// What `CSVBarReader` did to rows whose open or close lay outside [low, high] when asked to
/// clip them (`--clip-prices`): some vendors round each price on its own, which can put the open
/// or close a tick above the high or below the low. Without clipping such a row is refused.
public struct PriceClipping: Sendable, Equatable {
    /// Rows whose open or close was moved.
    public private(set) var rows = 0
    /// The first such row's line.
    public private(set) var firstLine: Int?
    /// The largest move, in price units.
    public private(set) var largestMove = 0.0

    public init() {}

    /// One line for the log or a report: "FILE: clipped open/close into [low, high] on 3 rows
    /// (first at line 17, largest move 0.01)".
    public func summary(for file: String) -> String {
        "\(file): clipped open/close into [low, high] on \(rows) row\(rows == 1 ? "" : "s")"
            + (firstLine.map { " (first at line \($0), largest move \(largestMove))" } ?? "")
    }

    /// Moves `open` and `close` into [low, high] (`high >= low`) and counts the row.
    mutating func clip(open: inout Double, close: inout Double, high: Double, low: Double, line: Int) {
        let o = min(max(open, low), high), c = min(max(close, low), high)
        largestMove = max(largestMove, abs(o - open), abs(c - close))
        open = o
        close = c
        rows += 1
        if firstLine == nil { firstLine = line }
    }
}
