public import Foundation
import NIOCore
import PostgresNIO
public import TraderCore

/// Bars go in multi-row INSERTs, not COPY: postgres-nio 1.33 stops the process with a
/// precondition failure ("Copy mode is only supported for extended queries") when the server
/// closes the connection during a COPY, which a server restart does; an INSERT fails with a
/// connection error that the retry handles.
extension PostgresRunStore: BarArchive {
    public func archiveBars(_ bars: BarSeries) async throws {
        guard let first = bars.timestamps.first, let last = bars.timestamps.last else { return }
        let symbol = bars.symbol, timeframe = bars.timeframe.description
        try await transaction("archive bars of \(symbol) \(timeframe)") { connection in
            try await connection.query("DELETE FROM bars WHERE symbol = \(symbol) AND timeframe = \(timeframe) AND ts BETWEEN \(first) AND \(last)",
                                       logger: self.logger)
            try await Self.insertRows(connection, table: "bars", columns: BarColumns.names, rowCount: bars.count, logger: self.logger) { i, b in
                b.append(symbol); b.append(timeframe); b.append(bars.timestamps[i]); b.append(bars.open[i]); b.append(bars.high[i])
                b.append(bars.low[i]); b.append(bars.close[i]); b.append(bars.volume[i])
            }
        }
    }

    public func archivedBars(symbol: String, timeframe: Timeframe, from: Int64?, to: Int64?) async throws -> BarSeries? {
        let tf = timeframe.description
        let lower = from ?? .min, upper = to ?? .max
        return try await withRetry("read archived bars of \(symbol) \(tf)") { connection -> BarSeries? in
            var columns = BarColumns(capacity: 0)
            let rows = try await connection.query(
                "SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) AND ts >= \(lower) AND ts <= \(upper) ORDER BY ts",
                logger: self.logger)
            for try await (ts, o, h, l, c, v) in rows.decode((Int64, Double, Double, Double, Double, Double).self) {
                columns.append(ts: ts, open: o, high: h, low: l, close: c, volume: v)
            }
            if columns.timestamps.isEmpty,
               try await Self.rows(connection, "SELECT 1 FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) LIMIT 1", logger: self.logger).isEmpty {
                return nil
            }
            return columns.series(symbol: symbol, timeframe: timeframe)
        }
    }

    public func archivedSeries() async throws -> [ArchivedSeries] {
        let rows = try await withRetry("list archived bars") {
            try await Self.rows($0, "SELECT symbol, timeframe, count(*) AS n, min(ts) AS first, max(ts) AS last FROM bars GROUP BY symbol, timeframe ORDER BY symbol, timeframe",
                                logger: self.logger)
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
            try await Self.rows(connection, "DELETE FROM bars WHERE symbol = \(symbol) AND timeframe = \(tf) RETURNING ts", logger: self.logger).count
        }
    }
}
