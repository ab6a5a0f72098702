public import TraderCore

/// Parses the time values found in market data files straight from UTF-8 bytes into integer
/// nanoseconds since the epoch (UTC).
///
/// Accepted forms:
/// - dates: `2004-08-19` (also `2004/08/19`, single-digit month and day allowed);
/// - date and time: `2017-04-19 09:00`, `2017-04-19T09:00:00`, `2017-04-19 09:00:00.123456`,
///   followed by an optional zone `Z`, `+02:00`, `-0500` or `+02`, which is converted to UTC
///   (without a zone the time is taken as UTC, as pandas treats naive timestamps);
/// - epoch numbers, told apart by magnitude: seconds below 10^11, milliseconds below 10^14,
///   microseconds below 10^17, nanoseconds above; seconds and milliseconds may have a fraction.
///
/// Anything outside the range of `Int64` nanoseconds (1677-09-21 to 2262-04-11) is refused.
public enum TimestampParser {
    /// The instant written in `text`, or nil when it is none of the accepted forms.
    public static func parse(_ text: some StringProtocol) -> Timestamp? {
        var copy = String(text)
        return copy.withUTF8 { utf8 -> Timestamp? in
            guard let base = utf8.baseAddress else { return nil }
            var i = 0
            guard let nanos = scan(base, &i, utf8.count), i == utf8.count else { return nil }
            return Timestamp(nanos: nanos)
        }
    }

    /// Parses a timestamp starting at `p[i]`; on success moves `i` past it.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Int64? {
        var j = i
        var negative = false
        if j < end && p[j] == ASCII.minus { negative = true; j += 1 }
        var magnitude: UInt64 = 0
        let digitsStart = j
        while j < end {
            let d = p[j] &- ASCII.zero
            if d > 9 { break }
            if j - digitsStart >= 19 { return nil }
            magnitude = magnitude &* 10 &+ UInt64(d)  // 19 digits fit in UInt64
            j += 1
        }
        let digitCount = j - digitsStart
        guard digitCount > 0, magnitude <= UInt64(Int64.max) else { return nil }
        let value = Int64(magnitude)
        if digitCount == 4 && !negative && j < end && (p[j] == ASCII.minus || p[j] == ASCII.slash) {
            guard let nanos = scanDateTime(p, &j, end, year: Int(value)) else { return nil }
            i = j
            return nanos
        }
        guard let nanos = epochNanos(p, &j, end, integer: value, negative: negative) else { return nil }
        i = j
        return nanos
    }

    /// The rest of a calendar date after its 4-digit year, with an optional time and zone.
    @inline(__always)
    private static func scanDateTime(_ p: UnsafePointer<UInt8>, _ j: inout Int, _ end: Int, year: Int) -> Int64? {
        let separator = p[j]
        j += 1
        guard let month = digits(p, &j, end, min: 1, max: 2), month >= 1 && month <= 12 else { return nil }
        guard j < end && p[j] == separator else { return nil }
        j += 1
        guard let day = digits(p, &j, end, min: 1, max: 2), day >= 1 && day <= daysIn(month: month, year: year) else { return nil }
        var secondsOfDay: Int64 = 0
        var fraction: Int64 = 0
        var offsetSeconds: Int64 = 0
        if j + 1 < end && (p[j] == 0x54 || p[j] == 0x74 || p[j] == ASCII.space) && p[j + 1] &- ASCII.zero <= 9 {  // T, t, space
            j += 1
            guard let time = scanTimeOfDay(p, &j, end) else { return nil }
            secondsOfDay = time.seconds
            fraction = time.nanos
            if j < end {
                let c = p[j]
                if c == 0x5A || c == 0x7A {  // Z, z
                    j += 1
                } else if c == ASCII.plus || c == ASCII.minus {
                    j += 1
                    guard let hours = digits(p, &j, end, min: 2, max: 2), hours <= 23 else { return nil }
                    var minutes = 0
                    if j < end && p[j] == ASCII.colon { j += 1 }
                    if j < end && p[j] &- ASCII.zero <= 9 {
                        guard let m = digits(p, &j, end, min: 2, max: 2), m <= 59 else { return nil }
                        minutes = m
                    }
                    let offset = Int64(hours * 3600 + minutes * 60)
                    offsetSeconds = c == ASCII.minus ? -offset : offset
                }
            }
        }
        let days = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + secondsOfDay - offsetSeconds
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: Timestamp.nanosPerSecond)
        guard !overflow else { return nil }
        let (nanos, overflow2) = scaled.addingReportingOverflow(fraction)
        return overflow2 ? nil : nanos
    }

    /// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fffffffff` (`,` also accepted before the fraction; digits
    /// beyond nanoseconds are dropped).
    @inline(__always)
    static func scanTimeOfDay(_ p: UnsafePointer<UInt8>, _ j: inout Int, _ end: Int) -> (seconds: Int64, nanos: Int64)? {
        guard let hour = digits(p, &j, end, min: 1, max: 2), hour <= 23 else { return nil }
        guard j < end && p[j] == ASCII.colon else { return nil }
        j += 1
        guard let minute = digits(p, &j, end, min: 2, max: 2), minute <= 59 else { return nil }
        var second = 0
        var nanos: Int64 = 0
        if j < end && p[j] == ASCII.colon {
            j += 1
            guard let s = digits(p, &j, end, min: 2, max: 2), s <= 59 else { return nil }
            second = s
            if j < end && (p[j] == ASCII.dot || p[j] == ASCII.comma) && j + 1 < end && p[j + 1] &- ASCII.zero <= 9 {
                j += 1
                var scale: Int64 = 100_000_000
                while j < end {
                    let d = p[j] &- ASCII.zero
                    if d > 9 { break }
                    nanos += Int64(d) * scale
                    scale /= 10
                    j += 1
                }
            }
        }
        return (Int64(hour * 3600 + minute * 60 + second), nanos)
    }

    /// Epoch seconds, milliseconds, microseconds or nanoseconds by magnitude.
    @inline(__always)
    private static func epochNanos(_ p: UnsafePointer<UInt8>, _ j: inout Int, _ end: Int, integer: Int64, negative: Bool) -> Int64? {
        let unit: Int64 = switch integer {
        case ..<100_000_000_000: 1_000_000_000
        case ..<100_000_000_000_000: 1_000_000
        case ..<100_000_000_000_000_000: 1_000
        default: 1
        }
        var fraction: Int64 = 0
        if j < end && p[j] == ASCII.dot {
            j += 1
            var scale = unit / 10
            var sawDigit = false
            while j < end {
                let d = p[j] &- ASCII.zero
                if d > 9 { break }
                sawDigit = true
                fraction += Int64(d) * scale
                scale /= 10
                j += 1
            }
            guard sawDigit else { return nil }
        }
        let (scaled, overflow) = integer.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        let (nanos, overflow2) = scaled.addingReportingOverflow(fraction)
        guard !overflow2 else { return nil }
        return negative ? -nanos : nanos
    }

    /// An unsigned decimal of `min...max` digits.
    @inline(__always)
    private static func digits(_ p: UnsafePointer<UInt8>, _ j: inout Int, _ end: Int, min: Int, max: Int) -> Int? {
        var value = 0
        var count = 0
        while j < end && count < max {
            let d = p[j] &- ASCII.zero
            if d > 9 { break }
            value = value * 10 + Int(d)
            count += 1
            j += 1
        }
        if count < min { return nil }
        if j < end && p[j] &- ASCII.zero <= 9 { return nil }  // too many digits
        return value
    }

    @inline(__always)
    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
