/// The spacing of bars in a series: one minute, one hour, one day, ...
///
/// Stored as a fixed number of seconds. Calendar-irregular spacings (months) are approximated by
/// their typical length, which is what annualization needs.
public struct Timeframe: Hashable, Sendable, CustomStringConvertible {
    /// Length of one bar in seconds.
    public let seconds: Int64

    public init(seconds: Int64) throws(DomainError) {
        guard Self.bounds.contains(Double(seconds)) else {
            throw .invalid(field: "timeframe", reason: "must be \(Self.bounds.expectation), got \(seconds)")
        }
        self.seconds = seconds
    }

    /// From one second to a leap year: a bar longer than that has no use, and keeping spacings
    /// small keeps every `count × spacing` product far inside `Int64` nanoseconds.
    public static let bounds = Bounds.integers(1, 31_622_400, unit: "seconds")

    private init(unchecked seconds: Int64) { self.seconds = seconds }

    public static let minute1 = Timeframe(unchecked: 60)
    public static let minute5 = Timeframe(unchecked: 300)
    public static let minute15 = Timeframe(unchecked: 900)
    public static let minute30 = Timeframe(unchecked: 1800)
    public static let hour1 = Timeframe(unchecked: 3600)
    public static let hour4 = Timeframe(unchecked: 14_400)
    public static let day1 = Timeframe(unchecked: 86_400)
    public static let week1 = Timeframe(unchecked: 604_800)

    /// Parses `1m`, `5m`, `1h`, `4h`, `1d`, `1w`, or a bare number of seconds, up to a year.
    public init(parsing text: String) throws(DomainError) {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        guard let last = text.last else { throw .invalid(field: "timeframe", reason: "empty") }
        let seconds: Int64
        if let unit = units[last], let n = DecimalText.parseInteger(text.dropLast()), n > 0 {
            let (product, overflow) = Int64(n).multipliedReportingOverflow(by: unit)
            seconds = overflow ? .max : product
        } else if let n = DecimalText.parseInteger(text), n > 0 {
            seconds = Int64(n)
        } else {
            throw .invalid(field: "timeframe", reason: "'\(DisplayText.quote(text))' is not one of 1m, 5m, 15m, 1h, 4h, 1d, 1w or a number of seconds")
        }
        guard Self.bounds.contains(Double(seconds)) else {
            throw .invalid(field: "timeframe", reason: "'\(DisplayText.quote(text))' must be \(Self.bounds.expectation) long")
        }
        self.init(unchecked: seconds)
    }

    /// Infers the spacing of a sorted timestamp column as the most common gap among the first
    /// bars (the mode is robust to weekends and holidays, unlike the mean).
    public static func infer(from timestamps: [Int64]) -> Timeframe? {
        timestamps.withUnsafeBufferPointer { infer(from: $0) }
    }

    /// `infer(from:)` for a series' column.
    public static func infer(from timestamps: BarColumn<Int64>) -> Timeframe? {
        timestamps.withUnsafeBufferPointer { infer(from: $0) }
    }

    private static func infer(from timestamps: UnsafeBufferPointer<Int64>) -> Timeframe? {
        guard timestamps.count >= 2 else { return nil }
        var counts: [Int64: Int] = [:]
        let n = min(timestamps.count, 1001)
        for i in 1..<n {
            // Two bars more than 292 years apart have no gap in Int64 nanoseconds: not a spacing.
            let (gap, overflow) = timestamps[i].subtractingReportingOverflow(timestamps[i - 1])
            if !overflow { counts[gap, default: 0] += 1 }
        }
        guard let best = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key, best > 0 else { return nil }
        // Within `bounds`: a spacing beyond a year (two bars far apart) is taken as a year.
        return Timeframe(unchecked: min(max(1, best / Timestamp.nanosPerSecond), Int64(bounds.upper)))
    }

    public var description: String {
        for (unit, name) in [(Int64(604_800), "w"), (86_400, "d"), (3600, "h"), (60, "m")] where seconds % unit == 0 {
            return "\(seconds / unit)\(name)"
        }
        return "\(seconds)s"
    }
}
