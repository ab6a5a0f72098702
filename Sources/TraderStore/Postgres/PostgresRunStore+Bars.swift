public import Foundation
import NIOCore
import PostgresNIO
public import TraderCore

extension PostgresRunStore: BarArchive {
    public func archiveBars(_ bars: BarSeries) async throws {
        guard let first = bars.timestamps.first, let last = bars.timestamps.last else { return }
        let symbol = bars.symbol, timeframe = bars.timeframe.description
        try await transaction("archive bars of \(symbol) \(timeframe)") { connection in
            try await connection.query("DELETE FROM bars WHERE symbol = \(symbol) AND timeframe = \(timeframe) AND ts BETWEEN \(first) AND \(last)",
                                       logger: logger)
            try await Self.copyBars(connection, bars, logger: logger)
        }
    }

    /// The bars through `COPY ... FROM STDIN` in text format, in ~256 KiB writes. Symbols and
    /// timeframes are escaped for COPY's text format (backslash, tab, newline).
    static func copyBars(_ connection: PostgresConnection, _ bars: BarSeries, logger: Logger) async throws {
        let prefix = copyField(bars.symbol) + "\t" + copyField(bars.timeframe.description) + "\t"
        try await connection.copyFrom(table: "bars", columns: BarColumns.names, logger: logger) { writer in
            var buffer = ByteBuffer()
            buffer.reserveCapacity(300_000)
            for i in 0..<bars.count {
                buffer.writeString(prefix)
                buffer.writeString(String(bars.timestamps[i]))
                for value in [bars.open[i], bars.high[i], bars.low[i], bars.close[i], bars.volume[i]] {
                    buffer.writeInteger(UInt8(ascii: "\t"))
                    buffer.writeString("\(value)")
                }
                buffer.writeInteger(UInt8(ascii: "\n"))
                if buffer.readableBytes >= 262_144 {
                    try await writer.write(buffer)
                    buffer.clear()
                }
            }
            if buffer.readableBytes > 0 { try await writer.write(buffer) }
        }
    }

    static func copyField(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
    }

    public func archivedBars(symbol: String, timeframe: Timeframe, from: Int64?, to: Int64?) async throws -> BarSeries? {
        let tf = timeframe.description
        let lower = from ?? .min, upper = to ?? .max
        return try await withRetry("read archived bars of \(symbol) \(tf)") { connection -> BarSeries? in
            var columns = BarColumns(capacity: 0)
            let rows = try await connection.query(
                "SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) AND ts >= \(lower) AND ts <= \(upper) ORDER BY ts",
                logger: logger)
            for try await (ts, o, h, l, c, v) in rows.decode((Int64, Double, Double, Double, Double, Double).self) {
                columns.append(ts: ts, open: o, high: h, low: l, close: c, volume: v)
            }
            if columns.timestamps.isEmpty,
               try await Self.rows(connection, "SELECT 1 FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) LIMIT 1", logger: logger).isEmpty {
                return nil
            }
            return columns.series(symbol: symbol, timeframe: timeframe)
        }
    }

    public func archivedSeries() async throws -> [ArchivedSeries] {
        let rows = try await withRetry("list archived bars") {
            try await Self.rows($0, "SELECT symbol, timeframe, count(*) AS n, min(ts) AS first, max(ts) AS last FROM bars GROUP BY symbol, timeframe ORDER BY symbol, timeframe",
                                logger: logger)
        }
        return try rows.map { r in
            ArchivedSeries(symbol: try Self.text(r, "symbol"), timeframe: try Self.text(r, "timeframe"), count: Int(try Self.int(r, "n")),
                           first: try Self.int(r, "first"), last: try Self.int(r, "last"))
        }
    }

    @discardableResult
    public func deleteArchivedBars(symbol: String, timeframe: Timeframe) async throws -> Int {
        let tf = timeframe.description
        return try await transaction("delete archived bars of \(symbol) \(tf)") { connection in
            try await Self.rows(connection, "DELETE FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) RETURNING ts", logger: logger).count
        }
    }
}
