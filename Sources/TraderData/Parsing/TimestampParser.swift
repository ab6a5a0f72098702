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

    /// The last `YYYY-MM-DD` seen and its day number: consecutive intraday rows share a date,
    /// so most rows skip the calendar arithmetic.
    struct DayCache {
        var head: UInt64 = 0
        var tail: UInt16 = 0
        var days: Int64 = 0
    }

    /// Parses a timestamp starting at `p[i]`; on success moves `i` past it.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Int64? {
        var cache = DayCache()
        return scan(p, &i, end, cache: &cache)
    }

    /// `scan` reusing the day number of the previous call's date when it repeats.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, cache: inout DayCache) -> Int64? {
        if let nanos = scanFixed(p, &i, end, cache: &cache) { return nanos }
        return scanGeneral(p, &i, end)
    }

    /// The common shapes at fixed positions: `YYYY-MM-DD` and `YYYY-MM-DD[T ]HH:MM:SS` with no
    /// fraction or zone. Nil sends anything else to `scanGeneral`.
    @inline(__always)
    private static func scanFixed(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, cache: inout DayCache) -> Int64? {
        guard end - i >= 10 else { return nil }
        let head = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
        let tail = UInt16(littleEndian: UnsafeRawPointer(p + i + 8).loadUnaligned(as: UInt16.self))
        let days: Int64
        if head == cache.head && tail == cache.tail {
            days = cache.days
        } else {
            guard p[i + 4] == ASCII.minus, p[i + 7] == ASCII.minus else { return nil }
            let y0 = p[i] &- ASCII.zero, y1 = p[i + 1] &- ASCII.zero, y2 = p[i + 2] &- ASCII.zero, y3 = p[i + 3] &- ASCII.zero
            let m0 = p[i + 5] &- ASCII.zero, m1 = p[i + 6] &- ASCII.zero
            let d0 = p[i + 8] &- ASCII.zero, d1 = p[i + 9] &- ASCII.zero
            guard y0 <= 9, y1 <= 9, y2 <= 9, y3 <= 9, m0 <= 9, m1 <= 9, d0 <= 9, d1 <= 9 else { return nil }
            let year = Int(y0) * 1000 + Int(y1) * 100 + Int(y2) * 10 + Int(y3)
            let month = Int(m0) * 10 + Int(m1)
            let day = Int(d0) * 10 + Int(d1)
            guard year >= 1, month >= 1, month <= 12, day >= 1, day <= daysIn(month: month, year: year) else { return nil }
            days = daysSinceEpoch(year: year, month: month, day: day)
            guard days > -106_750 && days < 106_750 else { return nil }  // Int64 nanoseconds: 1677...2262
            cache = DayCache(head: head, tail: tail, days: days)
        }
        var k = i + 10
        var secondsOfDay = 0
        if k < end {
            let c = p[k]
            if c == 0x54 || c == ASCII.space {  // T or space
                guard end - i >= 19, p[i + 13] == ASCII.colon, p[i + 16] == ASCII.colon else { return nil }
                let h0 = p[i + 11] &- ASCII.zero, h1 = p[i + 12] &- ASCII.zero
                let n0 = p[i + 14] &- ASCII.zero, n1 = p[i + 15] &- ASCII.zero
                let s0 = p[i + 17] &- ASCII.zero, s1 = p[i + 18] &- ASCII.zero
                guard h0 <= 9, h1 <= 9, n0 <= 9, n1 <= 9, s0 <= 9, s1 <= 9 else { return nil }
                let hour = Int(h0) * 10 + Int(h1), minute = Int(n0) * 10 + Int(n1), second = Int(s0) * 10 + Int(s1)
                guard hour <= 23, minute <= 59, second <= 59 else { return nil }
                secondsOfDay = hour * 3600 + minute * 60 + second
                k = i + 19
                if k < end {
                    let next = p[k]
                    if next == ASCII.dot || next == ASCII.plus || next == ASCII.minus || next == 0x5A || next == 0x7A
                        || next &- ASCII.zero <= 9 { return nil }
                }
            } else if c &- ASCII.zero <= 9 || c == 0x74 {
                return nil
            }
        }
        i = k
        return (days * 86_400 + Int64(secondsOfDay)) * Timestamp.nanosPerSecond
    }

    /// Days from 1970-01-01 to a Gregorian date with `year >= 1` (H. Hinnant's
    /// `days_from_civil`, in unsigned arithmetic since no era is negative).
    @inline(__always)
    private static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = UInt(year - (month <= 2 ? 1 : 0))
        let era = y / 400
        let yoe = y - era * 400
        let mp = UInt(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + UInt(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe) - 719_468
    }

    /// Every accepted shape, with flexible widths, fractions and zones.
    private static func scanGeneral(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) -> Int64? {
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
                    // ±HH, ±HH:MM or ±HHMM.
                    guard let hours = twoDigits(p, j, end), hours <= 23 else { return nil }
                    j += 2
                    var minutes = 0
                    if j < end && p[j] == ASCII.colon { j += 1 }
                    if j < end && p[j] &- ASCII.zero <= 9 {
                        guard let m = twoDigits(p, j, end), m <= 59 else { return nil }
                        minutes = m
                        j += 2
                    }
                    let offset = Int64(hours * 3600 + minutes * 60)
                    offsetSeconds = c == ASCII.minus ? -offset : offset
                }
            }
        }
        let days = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day))
        var seconds = days * 86_400 + secondsOfDay - offsetSeconds
        // Before 1970 the whole second alone can lie just beyond Int64 nanoseconds while the time
        // does not (the first representable second, 1677-09-21T00:12:43, is only partly inside):
        // borrow a second so that both parts stay in range (the numbers fuzz target's input).
        if seconds < 0 && fraction > 0 {
            seconds += 1
            fraction -= Timestamp.nanosPerSecond
        }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: Timestamp.nanosPerSecond)
        guard !overflow else { return nil }
        let (nanos, overflow2) = scaled.addingReportingOverflow(fraction)
        return overflow2 ? nil : nanos
    }

    /// `H:MM`, `HH:MM:SS` or `HH:MM:SS.fffffffff` (digits beyond nanoseconds are dropped).
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
            if j + 1 < end && p[j] == ASCII.dot && p[j + 1] &- ASCII.zero <= 9 {
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

    /// The two digits at `p[j]`, `p[j + 1]`.
    @inline(__always)
    private static func twoDigits(_ p: UnsafePointer<UInt8>, _ j: Int, _ end: Int) -> Int? {
        guard end - j >= 2 else { return nil }
        let a = p[j] &- ASCII.zero, b = p[j + 1] &- ASCII.zero
        guard a <= 9 && b <= 9 else { return nil }
        return Int(a) * 10 + Int(b)
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
