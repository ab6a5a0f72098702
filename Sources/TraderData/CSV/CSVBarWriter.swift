public import TraderCore

/// Writes a `BarSeries` as `Date,Open,High,Low,Close,Volume` CSV that `CSVBarReader` reads back
/// exactly.
///
/// - Times are ISO 8601 in UTC: `2004-08-19` when every bar is at midnight, otherwise
///   `2017-04-19T09:00:00` (with a fraction when a bar has one) for every row.
/// - Prices use Swift's shortest round-trip spelling (`Double.description`), so every value
///   reads back bit for bit; whole volumes are written without `.0`.
/// - The file is written to a temporary name beside `path`, flushed, then renamed over `path`:
///   a crash or a full disk never leaves a half-written file behind.
public enum CSVBarWriter {
    /// Writes `series` to `path`, replacing any existing file atomically.
    public static func write(_ series: BarSeries, to path: String) throws(DataError) {
        try POSIXFile.writeAtomically(encode(series), to: path)
    }

    /// The CSV text of `series`, as bytes.
    public static func encode(_ series: BarSeries) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + series.count * 72)
        out.append(contentsOf: "Date,Open,High,Low,Close,Volume\n".utf8)
        var dateOnly = true
        for t in series.timestamps where t % Timestamp.nanosPerDay != 0 {
            dateOnly = false
            break
        }
        for i in 0..<series.count {
            appendTimestamp(series.timestamps[i], dateOnly: dateOnly, to: &out)
            appendField(series.open[i], to: &out)
            appendField(series.high[i], to: &out)
            appendField(series.low[i], to: &out)
            appendField(series.close[i], to: &out)
            out.append(ASCII.comma)
            let volume = series.volume[i]
            if volume == volume.rounded(), abs(volume) < 9_007_199_254_740_992, volume.sign == .plus {
                out.append(contentsOf: String(Int64(volume)).utf8)
            } else {
                out.append(contentsOf: volume.description.utf8)
            }
            out.append(ASCII.lf)
        }
        return out
    }

    /// A comma, then the shortest text that reads back as exactly `value`.
    @inline(__always)
    private static func appendField(_ value: Double, to out: inout [UInt8]) {
        out.append(ASCII.comma)
        out.append(contentsOf: value.description.utf8)
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fffffffff]`, digits written in place.
    private static func appendTimestamp(_ nanos: Int64, dateOnly: Bool, to out: inout [UInt8]) {
        let c = Timestamp(nanos: nanos).components
        appendDigits(c.year, width: 4, to: &out)
        out.append(ASCII.minus)
        appendDigits(c.month, width: 2, to: &out)
        out.append(ASCII.minus)
        appendDigits(c.day, width: 2, to: &out)
        if dateOnly { return }
        out.append(0x54)  // T
        appendDigits(c.hour, width: 2, to: &out)
        out.append(ASCII.colon)
        appendDigits(c.minute, width: 2, to: &out)
        out.append(ASCII.colon)
        appendDigits(c.second, width: 2, to: &out)
        if c.nanosecond != 0 {
            out.append(ASCII.dot)
            var fraction = c.nanosecond
            var width = 9
            while fraction % 10 == 0 { fraction /= 10; width -= 1 }
            appendDigits(fraction, width: width, to: &out)
        }
    }

    /// `value` (>= 0) in decimal, zero-padded to at least `width` digits.
    private static func appendDigits(_ value: Int, width: Int, to out: inout [UInt8]) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var v = value
            var count = 0
            repeat {
                buffer[count] = ASCII.zero + UInt8(v % 10)
                v /= 10
                count += 1
            } while v > 0
            while count < width { buffer[count] = ASCII.zero; count += 1 }
            while count > 0 { count -= 1; out.append(buffer[count]) }
        }
    }
}
