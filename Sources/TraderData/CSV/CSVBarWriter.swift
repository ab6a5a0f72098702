public import TraderCore

/// Writes a `BarSeries` as `Date,Open,High,Low,Close,Volume` CSV that `CSVBarReader` reads back
/// exactly.
///
/// - Times are ISO 8601 in UTC: `2004-08-19` when every bar is at midnight, otherwise
///   `2017-04-19T09:00:00` (with a fraction when a bar has one) for every row.
/// - Prices use Swift's shortest round-trip spelling (`Double.description`), so every value
///   reads back bit for bit; whole volumes are written without `.0`.
/// - The file is written to a temporary name beside `path`, flushed to disk, then renamed over
///   `path`: a crash or a full disk never leaves a half-written file behind.
public enum CSVBarWriter {
    /// The header line the writer emits.
    public static let header = "Date,Open,High,Low,Close,Volume"

    /// Writes `series` to `path`, replacing any existing file atomically.
    public static func write(_ series: BarSeries, to path: String) throws(DataError) {
        try POSIXFile.writeAtomically(to: path) { (sink: inout POSIXFile.ChunkedWriter) throws(DataError) in
            var formatter = RowFormatter(series)
            try sink.append(maxBytes: header.utf8.count + 1) { formatter.writeHeader(to: $0) }
            for i in 0..<series.count {
                try sink.append(maxBytes: RowFormatter.maxRowBytes) { formatter.writeRow(i, to: $0) }
            }
        }
    }

    /// The CSV text of `series`, as bytes.
    public static func encode(_ series: BarSeries) -> [UInt8] {
        var formatter = RowFormatter(series)
        let capacity = header.utf8.count + 1 + series.count * RowFormatter.maxRowBytes
        return [UInt8](unsafeUninitializedCapacity: capacity) { buffer, written in
            guard let base = buffer.baseAddress else { return }
            var position = formatter.writeHeader(to: base)
            for i in 0..<series.count { position += formatter.writeRow(i, to: base + position) }
            written = position
        }
    }
}

/// Formats rows of one series straight into bytes.
struct RowFormatter {
    /// Longest possible row: a 29-byte timestamp, five 24-byte numbers, separators, newline.
    static let maxRowBytes = 160

    let series: BarSeries
    let dateOnly: Bool
    /// The formatted date of the last row and its day, reused while the day repeats.
    private var cachedDay = Int64.min
    private var cachedDate: (UInt64, UInt16) = (0, 0)

    init(_ series: BarSeries) {
        self.series = series
        var dateOnly = true
        for t in series.timestamps where t % Timestamp.nanosPerDay != 0 {
            dateOnly = false
            break
        }
        self.dateOnly = dateOnly
    }

    /// Writes the header line; returns the bytes written.
    func writeHeader(to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        for byte in CSVBarWriter.header.utf8 { out[n] = byte; n += 1 }
        out[n] = ASCII.lf
        return n + 1
    }

    /// Writes row `i` (at most `maxRowBytes`); returns the bytes written.
    mutating func writeRow(_ i: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = writeTimestamp(series.timestamps[i], to: out)
        n += Self.writeNumber(series.open[i], to: out + n)
        n += Self.writeNumber(series.high[i], to: out + n)
        n += Self.writeNumber(series.low[i], to: out + n)
        n += Self.writeNumber(series.close[i], to: out + n)
        let volume = series.volume[i]
        if volume >= 0, volume < 9_007_199_254_740_992, volume == Double(Int64(volume)), volume.sign == .plus {
            out[n] = ASCII.comma
            n += 1 + Self.writeInteger(Int64(volume), to: out + n + 1)
        } else {
            n += Self.writeNumber(volume, to: out + n)
        }
        out[n] = ASCII.lf
        return n + 1
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS[.fffffffff]`.
    private mutating func writeTimestamp(_ nanos: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        let stamp = Timestamp(nanos: nanos)
        let day = stamp.epochDay
        if day != cachedDay {
            let (year, month, dayOfMonth) = Timestamp.civilFromDays(day)
            Self.writeDigits(year, width: 4, to: out)
            out[4] = ASCII.minus
            Self.writeDigits(month, width: 2, to: out + 5)
            out[7] = ASCII.minus
            Self.writeDigits(dayOfMonth, width: 2, to: out + 8)
            let raw = UnsafeRawPointer(out)
            cachedDate = (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self))
            cachedDay = day
        } else {
            let raw = UnsafeMutableRawPointer(out)
            raw.storeBytes(of: cachedDate.0, as: UInt64.self)
            raw.storeBytes(of: cachedDate.1, toByteOffset: 8, as: UInt16.self)
        }
        if dateOnly { return 10 }
        let inDay = nanos - day * Timestamp.nanosPerDay
        let seconds = Int(inDay / Timestamp.nanosPerSecond)
        out[10] = 0x54  // T
        Self.writeDigits(seconds / 3600, width: 2, to: out + 11)
        out[13] = ASCII.colon
        Self.writeDigits(seconds / 60 % 60, width: 2, to: out + 14)
        out[16] = ASCII.colon
        Self.writeDigits(seconds % 60, width: 2, to: out + 17)
        var fraction = Int(inDay % Timestamp.nanosPerSecond)
        guard fraction != 0 else { return 19 }
        out[19] = ASCII.dot
        var width = 9
        while fraction % 10 == 0 { fraction /= 10; width -= 1 }
        Self.writeDigits(fraction, width: width, to: out + 20)
        return 20 + width
    }

    /// A comma, then the shortest text that reads back as exactly `value`.
    private static func writeNumber(_ value: Double, to out: UnsafeMutablePointer<UInt8>) -> Int {
        out[0] = ASCII.comma
        var text = value.description
        return text.withUTF8 { utf8 in
            (out + 1).update(from: utf8.baseAddress!, count: utf8.count)
            return utf8.count + 1
        }
    }

    /// A non-negative integer in decimal; returns the digits written.
    private static func writeInteger(_ value: Int64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var width = 1
        var limit: Int64 = 10
        while width < 19 && value >= limit { width += 1; limit &*= 10 }
        writeDigits(Int(value), width: width, to: out)
        return width
    }

    /// Exactly `width` decimal digits of `value` (zero-padded; `value` must fit).
    @inline(__always)
    private static func writeDigits(_ value: Int, width: Int, to out: UnsafeMutablePointer<UInt8>) {
        var v = value
        var k = width - 1
        while k >= 0 {
            out[k] = ASCII.zero &+ UInt8(truncatingIfNeeded: v % 10)
            v /= 10
            k -= 1
        }
    }
}
