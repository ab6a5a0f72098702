public import TraderCore

/// Reads OHLCV bars from CSV files into a validated, columnar `BarSeries`.
///
/// The layout is recognised from the header (see `CSVLayout`): Yahoo Finance exports (with
/// `Adj Close`, ignored), backtesting.py / pandas exports (an empty or `Unnamed: 0` first
/// column holding the index), and generic `Date,Open,High,Low,Close,Volume` files, with columns
/// in any order and any case. Time values may be ISO dates, ISO date-times (with `T` or a space,
/// fractional seconds, `Z` or a `±HH:MM` offset, converted to UTC) or epoch seconds,
/// milliseconds, microseconds or nanoseconds (see `TimestampParser`). CRLF line ends, a UTF-8
/// byte order mark, blank lines and a missing final newline are all accepted.
///
/// Every row is checked as it is parsed and the first problem is thrown as
/// `DataError.malformed` with the file, the 1-based line and a reason naming the column, e.g.
/// `GOOG.csv:7: Close 'null' is not a number`.
///
/// The parser works on the raw bytes of a memory-mapped file, with no `String` per field and
/// exact float parsing (`DecimalParser`): about 0.1–0.2 s per million rows in a release build.
///
/// Hostile input is bounded: only regular files of at most `maxFileBytes` are read (a
/// directory, a device such as `/dev/zero`, a FIFO is refused in one line), no line (header or
/// row) may be longer than `maxLineBytes`, and any text quoted in an error is cut short and
/// escaped (`DisplayText.quote`), so a 10 MB field or binary garbage gives a one-line message.
public enum CSVBarReader {
    /// Largest CSV file read: 4 GiB, about 70 million rows, whose bars take about 3.4 GB of
    /// memory. Larger histories go into the bar store in pieces (`data import` per file) or are
    /// generated there.
    public static let maxFileBytes = 4 << 30
    /// Longest line, header or row, in bytes (a row of six numbers is under 100).
    public static let maxLineBytes = 65_536

    /// Reads and validates the CSV file at `path`. `symbol` defaults to the file name without
    /// its extension, uppercased (`data/goog.csv` → `GOOG`). A row whose open or close lies
    /// outside [low, high] is refused (see `read(path:symbol:clippingPrices:)`).
    public static func read(path: String, symbol: String? = nil) throws(DataError) -> BarSeries {
        try read(path: path, symbol: symbol, clippingPrices: false).bars
    }

    /// Reads and validates the CSV file at `path`; with `clippingPrices`, an open or close
    /// outside [low, high] is moved to the nearer bound instead of refusing the row (for vendors
    /// whose rounding puts them a tick outside), and `clipping` says how often.
    public static func read(path: String, symbol: String?, clippingPrices: Bool) throws(DataError) -> (bars: BarSeries, clipping: PriceClipping) {
        let symbol = symbol ?? defaultSymbol(forPath: path)
        return try POSIXFile.withContents(path: path, limit: maxFileBytes) { bytes throws(DataError) in
            try parse(bytes, source: path, symbol: symbol, clippingPrices: clippingPrices)
        }
    }

    /// Parses CSV text held in memory. `source` names it in error messages.
    public static func parse(_ bytes: [UInt8], source: String, symbol: String) throws(DataError) -> BarSeries {
        var result: Result<BarSeries, DataError> = .failure(.empty(source))
        bytes.withUnsafeBytes { buffer in
            do throws(DataError) {
                result = .success(try parse(buffer, source: source, symbol: symbol))
            } catch {
                result = .failure(error)
            }
        }
        return try result.get()
    }

    /// Parses CSV bytes (UTF-8) in place. `source` names them in error messages.
    public static func parse(_ bytes: UnsafeRawBufferPointer, source: String, symbol: String) throws(DataError) -> BarSeries {
        try parse(bytes, source: source, symbol: symbol, clippingPrices: false).bars
    }

    /// Parses CSV bytes (UTF-8) in place, clipping open and close into [low, high] when asked.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, source: String, symbol: String, clippingPrices: Bool
    ) throws(DataError) -> (bars: BarSeries, clipping: PriceClipping) {
        let typed = bytes.bindMemory(to: UInt8.self)
        guard let p = typed.baseAddress, !typed.isEmpty else { throw .empty(source) }
        let n = typed.count
        var i = 0
        var line = 1
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }  // UTF-8 byte order mark

        // Header: the first non-blank line.
        while i < n && (p[i] == ASCII.lf || p[i] == ASCII.cr) {
            if p[i] == ASCII.lf { line += 1 } else if i + 1 >= n || p[i + 1] != ASCII.lf { line += 1 }
            i += 1
        }
        guard i < n else { throw .empty(source) }
        let headerStart = i
        let headerLimit = min(n, headerStart + maxLineBytes + 1)
        while i < headerLimit && p[i] != ASCII.lf && p[i] != ASCII.cr { i += 1 }
        if i - headerStart > maxLineBytes { throw lineTooLong(source, line) }
        let header = Array(UnsafeBufferPointer(start: p + headerStart, count: i - headerStart))
        i = skipLineEnd(p, i, n)
        line += 1
        let layout: CSVLayout
        switch CSVLayout.detect(headerLine: header) {
        case let .success(found): layout = found
        case .failure: throw .unknownLayout(source, header: String(decoding: header, as: UTF8.self))
        }
        return try parseRows(p, n, from: i, firstLine: line, layout: layout, source: source, symbol: symbol, clip: clippingPrices)
    }

    /// The symbol a file stands for: its name without directory and extension, uppercased.
    public static func defaultSymbol(forPath path: String) -> String {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = name[..<dot] }
        return name.uppercased()
    }

    // MARK: - Rows

    /// The row loop: one pass over the bytes, each field parsed where it lies.
    private static func parseRows(
        _ p: UnsafePointer<UInt8>, _ n: Int, from start: Int, firstLine: Int,
        layout: CSVLayout, source: String, symbol: String, clip: Bool
    ) throws(DataError) -> (bars: BarSeries, clipping: PriceClipping) {
        let delimiter = layout.delimiter
        let columnCount = layout.columnCount
        let roles = UnsafeMutableBufferPointer<CSVLayout.Role>.allocate(capacity: columnCount)
        defer { roles.deallocate() }
        _ = roles.initialize(from: layout.roles)
        let hasTimeOfDay = layout.roles.contains(.timeOfDay)

        // Preallocate from the length of the first row, with 1/8 headroom for rows that get
        // longer (prices gaining digits) so the columns rarely need to grow.
        var firstRowEnd = start
        while firstRowEnd < n && p[firstRowEnd] != ASCII.lf { firstRowEnd += 1 }
        let rows = (n - start) / max(firstRowEnd - start + 1, 8)
        let estimate = rows + rows / 8 + 16
        var timestamps: [Int64] = [], opens: [Double] = [], highs: [Double] = []
        var lows: [Double] = [], closes: [Double] = [], volumes: [Double] = []
        timestamps.reserveCapacity(estimate); opens.reserveCapacity(estimate); highs.reserveCapacity(estimate)
        lows.reserveCapacity(estimate); closes.reserveCapacity(estimate); volumes.reserveCapacity(estimate)

        var i = start
        var line = firstLine
        var previous = Int64.min
        var dayCache = TimestampParser.DayCache()
        var clipping = PriceClipping()
        while i < n {
            // Blank lines (and Excel's all-delimiter lines) are skipped.
            let first = p[i]
            if first == ASCII.lf || first == ASCII.cr {
                i = skipLineEnd(p, i, n)
                line += 1
                continue
            }
            if (first == delimiter || first == ASCII.space) && isBlank(p, i, n, delimiter) {
                while i < n && p[i] != ASCII.lf && p[i] != ASCII.cr { i += 1 }
                i = skipLineEnd(p, i, n)
                line += 1
                continue
            }

            let rowStart = i
            var time: Int64 = 0, timeOfDay: Int64 = 0
            var open = 0.0, high = 0.0, low = 0.0, close = 0.0, volume = 0.0
            var column = 0
            while true {
                let fieldStart = i
                switch roles[column] {
                case .ignore:
                    i = fieldEnd(p, i, n, delimiter)
                case .open:
                    guard let x = number(p, &i, n, delimiter) else { throw numberError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    open = x
                case .high:
                    guard let x = number(p, &i, n, delimiter) else { throw numberError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    high = x
                case .low:
                    guard let x = number(p, &i, n, delimiter) else { throw numberError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    low = x
                case .close:
                    guard let x = number(p, &i, n, delimiter) else { throw numberError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    close = x
                case .volume:
                    guard let x = number(p, &i, n, delimiter) else { throw numberError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    volume = x
                case .time:
                    guard let t = timestamp(p, &i, n, delimiter, &dayCache) else { throw timeError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    time = t
                case .timeOfDay:
                    guard let t = timeOfDayField(p, &i, n, delimiter) else { throw timeError(p, fieldStart, rowStart, n, layout, column, source, line) }
                    timeOfDay = t
                }
                guard i < n && p[i] == delimiter else { break }
                i += 1
                column += 1
                if column == columnCount {
                    if let tooLong = lineTooLong(p, rowStart, n, source, line) { throw tooLong }
                    var fields = columnCount + 1
                    while i < n && p[i] != ASCII.lf && p[i] != ASCII.cr {
                        i = fieldEnd(p, i, n, delimiter)
                        if i < n && p[i] == delimiter { fields += 1; i += 1 }
                    }
                    throw .malformed(file: source, line: line, reason: "row has \(fields) fields but the header has \(columnCount)")
                }
            }
            if i - rowStart > maxLineBytes { throw lineTooLong(source, line) }
            if column != columnCount - 1 {
                throw .malformed(file: source, line: line, reason:
                    "missing field \(layout.displayName(column + 1)) (row has \(column + 1) of \(columnCount) fields)")
            }
            i = skipLineEnd(p, i, n)

            if hasTimeOfDay { time += timeOfDay }
            if clip && high >= low && (open > high || open < low || close > high || close < low) {
                clipping.clip(open: &open, close: &close, high: high, low: low, line: line)
            }
            if Bar.violation(open: open, high: high, low: low, close: close, volume: volume) != nil {
                throw .malformed(file: source, line: line, reason:
                    barProblem(open: open, high: high, low: low, close: close, volume: volume, layout: layout))
            }
            if time <= previous {
                throw .malformed(file: source, line: line, reason:
                    "timestamp \(Timestamp(nanos: time)) is not after the previous row's \(Timestamp(nanos: previous))")
            }
            // Every later difference of two times (spacing, durations, the period of the run) is
            // an Int64 of nanoseconds: the series must span less than 292 years.
            if let first = timestamps.first, time.subtractingReportingOverflow(first).overflow {
                throw .malformed(file: source, line: line, reason:
                    "timestamp \(Timestamp(nanos: time)) is more than 292 years after the first row's \(Timestamp(nanos: first))")
            }
            previous = time
            timestamps.append(time)
            opens.append(open)
            highs.append(high)
            lows.append(low)
            closes.append(close)
            volumes.append(volume)
            line += 1
        }
        guard !timestamps.isEmpty else { throw .empty(source) }
        let bars = BarSeries(unchecked: symbol, timeframe: Timeframe.infer(from: timestamps) ?? .day1,
                             timestamps: timestamps, open: opens, high: highs, low: lows, close: closes, volume: volumes)
        return (bars, clipping)
    }

    // MARK: - Fields

    /// True for the bytes that end a field.
    @inline(__always)
    private static func endsField(_ b: UInt8, _ delimiter: UInt8) -> Bool {
        b == delimiter || b == ASCII.lf || b == ASCII.cr
    }

    /// A number field; nil when it is empty or not a number.
    @inline(__always)
    private static func number(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, _ delimiter: UInt8) -> Double? {
        let start = i
        if let value = DecimalParser.scan(p, &i, n), i == n || endsField(p[i], delimiter) { return value }
        return slowNumber(p, &i, n, delimiter, start: start)
    }

    /// Quotes, spaces, long spellings: trims the whole field and parses it exactly (decimal
    /// text only: `DecimalParser.parseExactly`). A field longer than a line may be is left to
    /// the error path, which reports the line.
    @inline(never)
    private static func slowNumber(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, _ delimiter: UInt8, start: Int) -> Double? {
        i = fieldEnd(p, start, min(n, start + maxLineBytes + 1), delimiter)
        guard i - start <= maxLineBytes else { return nil }
        let (a, b) = trimmed(p, start, i)
        return DecimalParser.parseExactly(p, a, b)
    }

    /// A time field as epoch nanoseconds; nil when it is empty or not a time.
    @inline(__always)
    private static func timestamp(
        _ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, _ delimiter: UInt8, _ cache: inout TimestampParser.DayCache
    ) -> Int64? {
        let start = i
        if let value = TimestampParser.scan(p, &i, n, cache: &cache), i == n || endsField(p[i], delimiter) { return value }
        return slowTimestamp(p, &i, n, delimiter, start: start)
    }

    /// A time field with quotes or spaces around it.
    @inline(never)
    private static func slowTimestamp(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, _ delimiter: UInt8, start: Int) -> Int64? {
        i = fieldEnd(p, start, min(n, start + maxLineBytes + 1), delimiter)
        let (a, b) = trimmed(p, start, i)
        var j = a
        guard let value = TimestampParser.scan(p, &j, b), j == b else { return nil }
        return value
    }

    /// A separate time-of-day field (`HH:MM[:SS[.f]]`) as nanoseconds since midnight.
    private static func timeOfDayField(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ n: Int, _ delimiter: UInt8) -> Int64? {
        let start = i
        i = fieldEnd(p, start, min(n, start + maxLineBytes + 1), delimiter)
        let (a, b) = trimmed(p, start, i)
        var j = a
        guard let time = TimestampParser.scanTimeOfDay(p, &j, b), j == b else { return nil }
        return time.seconds * Timestamp.nanosPerSecond + time.nanos
    }

    /// The index of the delimiter or line end that closes the field starting at `i`. Delimiters
    /// inside double quotes do not count; line ends always do (no multi-line fields).
    @inline(__always)
    private static func fieldEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ delimiter: UInt8) -> Int {
        var j = i
        var inQuotes = false
        while j < n {
            let b = p[j]
            if b == ASCII.quote {
                inQuotes.toggle()
            } else if b == ASCII.lf || b == ASCII.cr || (b == delimiter && !inQuotes) {
                break
            }
            j += 1
        }
        return j
    }

    /// `start..<end` without surrounding spaces and one pair of surrounding double quotes.
    private static func trimmed(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var a = start, b = end
        while a < b && (p[a] == ASCII.space || p[a] == ASCII.tab) { a += 1 }
        while b > a && (p[b - 1] == ASCII.space || p[b - 1] == ASCII.tab) { b -= 1 }
        if b - a >= 2 && p[a] == ASCII.quote && p[b - 1] == ASCII.quote {
            a += 1
            b -= 1
            while a < b && p[a] == ASCII.space { a += 1 }
            while b > a && p[b - 1] == ASCII.space { b -= 1 }
        }
        return (a, b)
    }

    /// The index after the line end at `i` (`\n`, `\r\n` or a lone `\r`).
    @inline(__always)
    private static func skipLineEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int {
        var j = i
        if j < n && p[j] == ASCII.cr { j += 1 }
        if j < n && p[j] == ASCII.lf { j += 1 }
        return j
    }

    /// True when the line from `i` holds only delimiters and spaces.
    private static func isBlank(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ delimiter: UInt8) -> Bool {
        var j = i
        while j < n && p[j] != ASCII.lf && p[j] != ASCII.cr {
            if p[j] != delimiter && p[j] != ASCII.space && p[j] != ASCII.tab { return false }
            j += 1
        }
        return true
    }

    // MARK: - Messages (only built on failure)

    /// The error for line `line`, longer than `maxLineBytes`.
    private static func lineTooLong(_ source: String, _ line: Int) -> DataError {
        .malformed(file: source, line: line, reason: "line is longer than \(maxLineBytes) bytes")
    }

    /// `lineTooLong` when the line starting at `rowStart` is longer than `maxLineBytes` (looking
    /// at no more than that many bytes), else nil. Checked before a row error quotes a field, so
    /// a message never scans or quotes more than one bounded line.
    private static func lineTooLong(_ p: UnsafePointer<UInt8>, _ rowStart: Int, _ n: Int, _ source: String, _ line: Int) -> DataError? {
        let limit = min(n, rowStart + maxLineBytes + 1)
        var j = rowStart
        while j < limit && p[j] != ASCII.lf && p[j] != ASCII.cr { j += 1 }
        return j - rowStart > maxLineBytes ? lineTooLong(source, line) : nil
    }

    /// The trimmed field at `start`, quoted for a message (cut short, control bytes escaped).
    private static func fieldText(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ delimiter: UInt8) -> String {
        let (a, b) = trimmed(p, start, fieldEnd(p, start, n, delimiter))
        return DisplayText.quote(bytes: UnsafeBufferPointer(start: p + a, count: b - a))
    }

    private static func numberError(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ rowStart: Int, _ n: Int, _ layout: CSVLayout, _ column: Int, _ source: String, _ line: Int
    ) -> DataError {
        if let tooLong = lineTooLong(p, rowStart, n, source, line) { return tooLong }
        let text = fieldText(p, start, n, layout.delimiter)
        let name = layout.displayName(column)
        return .malformed(file: source, line: line, reason: text.isEmpty ? "\(name) is empty" : "\(name) '\(text)' is not a number")
    }

    private static func timeError(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ rowStart: Int, _ n: Int, _ layout: CSVLayout, _ column: Int, _ source: String, _ line: Int
    ) -> DataError {
        if let tooLong = lineTooLong(p, rowStart, n, source, line) { return tooLong }
        let text = fieldText(p, start, n, layout.delimiter)
        let name = layout.displayName(column)
        let what = layout.roles[column] == .timeOfDay ? "a valid time of day" : "a valid date or time"
        return .malformed(file: source, line: line, reason: text.isEmpty ? "\(name) is empty" : "\(name) '\(text)' is not \(what)")
    }

    /// Names the column behind a `Bar.violation`.
    private static func barProblem(open: Double, high: Double, low: Double, close: Double, volume: Double, layout: CSVLayout) -> String {
        func name(_ role: CSVLayout.Role) -> String {
            layout.roles.firstIndex(of: role).map { layout.displayName($0) } ?? "\(role)"
        }
        /// A price as a person would write it: `105`, not `105.0`.
        func shown(_ x: Double) -> String {
            x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        }
        let prices: [(CSVLayout.Role, Double)] = [(.open, open), (.high, high), (.low, low), (.close, close)]
        for (role, value) in prices + [(.volume, volume)] where !value.isFinite {
            return "\(name(role)) is \(value.isNaN ? "NaN" : "infinite")"
        }
        for (role, value) in prices where value <= 0 {
            return "\(name(role)) must be positive, got \(shown(value))"
        }
        if high < low { return "\(name(.high)) \(shown(high)) is below \(name(.low)) \(shown(low))" }
        for (role, value) in [(CSVLayout.Role.open, open), (.close, close)] {
            if value > high { return "\(name(role)) \(shown(value)) is above \(name(.high)) \(shown(high))" }
            if value < low { return "\(name(role)) \(shown(value)) is below \(name(.low)) \(shown(low))" }
        }
        if volume < 0 { return "\(name(.volume)) must not be negative, got \(shown(volume))" }
        return Bar.violation(open: open, high: high, low: low, close: close, volume: volume) ?? "invalid bar"
    }
}
