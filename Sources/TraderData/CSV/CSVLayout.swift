import TraderCore

/// Which column of a CSV file holds which bar field, decided from the header line.
///
/// Names are matched case-insensitively, in any order, with surrounding spaces and quotes
/// ignored:
/// - time: `Date`, `Datetime`, `Date_Time`, `Time`, `Timestamp`, `Unnamed: 0`, or an empty first
///   name (a pandas index written by `to_csv()`, as backtesting.py's data is). When both a `Date`
///   and a separate `Time` column exist (and no `Datetime`/`Timestamp`), `Time` is read as the time
///   of day and added to the date.
/// - `Open`, `High`, `Low`, `Close` (required) and `Volume` (optional, 0 when absent).
/// - Yahoo's `Adj Close` is recognised and deliberately ignored: bars take the `Close` column, as
///   backtesting.py does, so OHLC stay consistent with each other.
/// - Any other column is ignored.
struct CSVLayout: Sendable {
    /// What a column feeds.
    enum Role: UInt8, Sendable {
        case ignore, time, timeOfDay, open, high, low, close, volume
    }

    /// The field separator: `,` unless the header uses more tabs or semicolons than commas.
    var delimiter: UInt8
    /// One role per header column.
    var roles: [Role]
    /// The header's own spelling of each column, for messages.
    var names: [String]

    var columnCount: Int { roles.count }

    /// The column name to show in a message about column `index` (quoted: cut short, control
    /// bytes escaped, as names come from the file).
    func displayName(_ index: Int) -> String {
        let name = names[index]
        return name.isEmpty ? "index" : DisplayText.quote(name)
    }

    /// Why a header line was rejected.
    struct Problem: Error, Sendable {
        var reason: String
    }

    /// The explanation shown for a rejected header (used by `DataError.description`).
    static func problem(withHeader header: String) -> String {
        switch detect(headerLine: Array(header.utf8)) {
        case .success: "unrecognized header"
        case let .failure(problem): problem.reason
        }
    }

    /// Works out the layout of a header line (without its line terminator).
    static func detect(headerLine bytes: [UInt8]) -> Result<CSVLayout, Problem> {
        let delimiter = chooseDelimiter(bytes)
        let names = splitHeader(bytes, delimiter: delimiter)
        var roles = [Role](repeating: .ignore, count: names.count)

        // The time column: the best-ranked candidate wins; equal ranks are ambiguous.
        var timeCandidates: [(rank: Int, column: Int)] = []
        var dateColumn: Int?
        var timeColumn: Int?
        for (column, name) in names.enumerated() {
            let key = normalized(name)
            switch key {
            case "datetime", "date_time", "timestamp": timeCandidates.append((0, column))
            case "date":
                timeCandidates.append((1, column))
                if dateColumn == nil { dateColumn = column }
            case "time":
                timeCandidates.append((2, column))
                if timeColumn == nil { timeColumn = column }
            case "":
                if column == 0 { timeCandidates.append((3, column)) }
            case "open": roles[column] = .open
            case "high": roles[column] = .high
            case "low": roles[column] = .low
            case "close": roles[column] = .close
            case "volume": roles[column] = .volume
            case "adj close", "adj_close", "adjclose", "adjusted close", "adjusted_close":
                break  // Yahoo's adjusted close: deliberately not used
            default:
                if key.hasPrefix("unnamed") { timeCandidates.append((3, column)) }
            }
        }

        let required: [(Role, String)] = [(.open, "Open"), (.high, "High"), (.low, "Low"), (.close, "Close")]
        var missing: [String] = []
        for (role, label) in required where !roles.contains(role) { missing.append(label) }
        for role in [Role.open, .high, .low, .close, .volume] where roles.filter({ $0 == role }).count > 1 {
            let dupes = roles.indices.filter { roles[$0] == role }.map { "'\(DisplayText.quote(names[$0]))'" }
            return .failure(Problem(reason: "duplicate columns \(dupes.joined(separator: " and "))"))
        }
        guard let bestRank = timeCandidates.map(\.rank).min() else {
            let also = missing.isEmpty ? "" : " and no \(missing.joined(separator: ", ")) column"
            return .failure(Problem(reason:
                "no time column (Date, Datetime, Time, Timestamp, or an unnamed first column)\(also)"))
        }
        guard missing.isEmpty else {
            return .failure(Problem(reason: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))"))
        }
        let best = timeCandidates.filter { $0.rank == bestRank }
        if best.count > 1 {
            let dupes = best.map { "'\(DisplayText.quote(names[$0.column]))'" }
            return .failure(Problem(reason: "more than one time column: \(dupes.joined(separator: " and "))"))
        }
        roles[best[0].column] = .time
        if bestRank == 1, let dateColumn, let timeColumn, dateColumn == best[0].column {
            roles[timeColumn] = .timeOfDay
        }
        return .success(CSVLayout(delimiter: delimiter, roles: roles, names: names))
    }

    /// The name with ASCII letters lowercased, the key the roles are matched on.
    static func normalized(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// The most frequent of `,`, tab and `;` outside quotes; `,` on a tie or when none occurs.
    static func chooseDelimiter(_ bytes: [UInt8]) -> UInt8 {
        var commas = 0, tabs = 0, semicolons = 0
        var inQuotes = false
        for b in bytes {
            switch b {
            case ASCII.quote: inQuotes.toggle()
            case ASCII.comma where !inQuotes: commas += 1
            case ASCII.tab where !inQuotes: tabs += 1
            case ASCII.semicolon where !inQuotes: semicolons += 1
            default: break
            }
        }
        if tabs > commas && tabs >= semicolons { return ASCII.tab }
        if semicolons > commas && semicolons > tabs { return ASCII.semicolon }
        return ASCII.comma
    }

    /// Splits a header line into trimmed, unquoted names.
    static func splitHeader(_ bytes: [UInt8], delimiter: UInt8) -> [String] {
        var names: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        for b in bytes {
            if b == ASCII.quote {
                inQuotes.toggle()
            } else if b == delimiter && !inQuotes {
                names.append(trimmedName(current))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(b)
            }
        }
        names.append(trimmedName(current))
        return names
    }

    private static func trimmedName(_ bytes: [UInt8]) -> String {
        var lo = 0, hi = bytes.count
        while lo < hi && (bytes[lo] == ASCII.space || bytes[lo] == ASCII.tab) { lo += 1 }
        while hi > lo && (bytes[hi - 1] == ASCII.space || bytes[hi - 1] == ASCII.tab || bytes[hi - 1] == ASCII.cr) { hi -= 1 }
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
