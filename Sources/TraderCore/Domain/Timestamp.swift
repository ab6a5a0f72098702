/// A point in time as integer nanoseconds since the Unix epoch, UTC.
///
/// Integer nanoseconds (as in nautilus_trader) keep timestamps exact, cheap to compare and
/// columnar-friendly: a `BarSeries` stores them as a plain `[Int64]`. Calendar arithmetic is done
/// here with pure integer algorithms, so `TraderCore` needs no Foundation calendar or clock.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanos: Int64

    public static let nanosPerSecond: Int64 = 1_000_000_000
    public static let nanosPerDay: Int64 = 86_400 * nanosPerSecond

    @inlinable public init(nanos: Int64) { self.nanos = nanos }
    @inlinable public init(seconds: Int64) { self.nanos = seconds * Timestamp.nanosPerSecond }

    /// Builds a timestamp from a UTC calendar date and time of day. Fields are not range-checked
    /// here beyond what the arithmetic needs; parsers validate before calling.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, nanosecond: Int = 0) {
        let days = Timestamp.daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.nanos = secs * Timestamp.nanosPerSecond + Int64(nanosecond)
    }

    @inlinable public static func < (a: Timestamp, b: Timestamp) -> Bool { a.nanos < b.nanos }

    /// Whole days since the epoch (floor), the key used to group bars into calendar days.
    @inlinable public var epochDay: Int64 {
        let d = nanos / Timestamp.nanosPerDay
        return (nanos % Timestamp.nanosPerDay < 0) ? d - 1 : d
    }

    /// Calendar weeks (Monday to Sunday, UTC) since the epoch, floor: the key of a week.
    @inlinable public var epochWeek: Int64 { Timestamp.week(ofEpochDay: epochDay) }

    /// The week (Monday to Sunday) of the day `day` days after the epoch: 1970-01-01 was a
    /// Thursday, so day + 3 counts from Monday 1969-12-29.
    @inlinable public static func week(ofEpochDay day: Int64) -> Int64 {
        let d = day + 3
        return d >= 0 ? d / 7 : (d - 6) / 7
    }

    /// Day of week, 0 = Monday … 6 = Sunday (pandas' `dayofweek`).
    @inlinable public var weekday: Int {
        // 1970-01-01 was a Thursday (3).
        let w = (epochDay + 3) % 7
        return Int(w < 0 ? w + 7 : w)
    }

    /// The UTC calendar fields of this instant.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, nanosecond: Int) {
        let day = epochDay
        // The remainder, not `nanos - day * nanosPerDay`: within a day of Int64.min that
        // product overflows (found by the numbers fuzz target).
        var rem = nanos % Timestamp.nanosPerDay
        if rem < 0 { rem += Timestamp.nanosPerDay }
        let secOfDay = Int(rem / Timestamp.nanosPerSecond)
        let (y, m, d) = Timestamp.civilFromDays(day)
        return (y, m, d, secOfDay / 3600, (secOfDay / 60) % 60, secOfDay % 60, Int(rem % Timestamp.nanosPerSecond))
    }

    /// ISO 8601: `2004-08-19` for midnight, `2004-08-19T09:30:00` otherwise (UTC, no zone suffix,
    /// as pandas prints naive timestamps).
    public var description: String { iso8601(dateOnlyAtMidnight: true) }

    /// ISO 8601 text; `dateOnlyAtMidnight` drops a 00:00:00 time part.
    public func iso8601(dateOnlyAtMidnight: Bool = false) -> String {
        let c = components
        var s = Timestamp.pad(c.year, 4) + "-" + Timestamp.pad(c.month, 2) + "-" + Timestamp.pad(c.day, 2)
        if dateOnlyAtMidnight && c.hour == 0 && c.minute == 0 && c.second == 0 && c.nanosecond == 0 { return s }
        s += "T" + Timestamp.pad(c.hour, 2) + ":" + Timestamp.pad(c.minute, 2) + ":" + Timestamp.pad(c.second, 2)
        if c.nanosecond != 0 {
            var frac = Timestamp.pad(c.nanosecond, 9)
            while frac.hasSuffix("0") { frac.removeLast() }
            s += "." + frac
        }
        return s
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    @inlinable public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day count since the epoch (H. Hinnant's `civil_from_days`).
    @inlinable public static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A span of time in nanoseconds, used for durations in reports.
public struct Duration64: Hashable, Comparable, Sendable {
    public var nanos: Int64
    @inlinable public init(nanos: Int64) { self.nanos = nanos }
    @inlinable public static func < (a: Duration64, b: Duration64) -> Bool { a.nanos < b.nanos }
    /// Fractional days, the unit backtesting.py reports durations in.
    @inlinable public var days: Double { Double(nanos) / Double(Timestamp.nanosPerDay) }
    @inlinable public var seconds: Double { Double(nanos) / Double(Timestamp.nanosPerSecond) }
}

/// Encoded as the bare integer nanoseconds: exact, and what a stored run is read back with.
extension Timestamp: Codable {
    public init(from decoder: any Decoder) throws { nanos = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(nanos)
    }
}

extension Duration64: Codable {
    public init(from decoder: any Decoder) throws { nanos = try decoder.singleValueContainer().decode(Int64.self) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(nanos)
    }
}
