public import Foundation
import SQLiteNIO
public import TraderCore

extension SQLiteRunStore: BarArchive {
    public func archiveBars(_ bars: BarSeries) async throws {
        guard let first = bars.timestamps.first, let last = bars.timestamps.last else { return }
        let symbol = bars.symbol, timeframe = bars.timeframe.description
        let operation = "archive bars of \(symbol) \(timeframe)"
        try await transaction(operation) {
            try await self.run("DELETE FROM bars WHERE symbol = ? AND timeframe = ? AND ts BETWEEN ? AND ?",
                               [.text(symbol), .text(timeframe), .integer(Int(first)), .integer(Int(last))], operation)
            try await self.insertRows(table: "bars", columns: BarColumns.names, rowCount: bars.count, operation: operation) { i, binds in
                binds.append(contentsOf: [.text(symbol), .text(timeframe), .integer(Int(bars.timestamps[i])), .float(bars.open[i]), .float(bars.high[i]),
                                          .float(bars.low[i]), .float(bars.close[i]), .float(bars.volume[i])])
            }
        }
    }

    public func archivedBars(symbol: String, timeframe: Timeframe, from: Int64?, to: Int64?) async throws -> BarSeries? {
        let operation = "read archived bars of \(symbol) \(timeframe)"
        let key: [SQLiteData] = [.text(symbol), .text(timeframe.description)]
        return try await lock.withLock { () -> BarSeries? in
            let rows = try await self.run("SELECT ts, open, high, low, close, volume FROM bars WHERE symbol = ? AND timeframe = ? AND ts >= ? AND ts <= ? ORDER BY ts",
                                          key + [.integer(Int(from ?? .min)), .integer(Int(to ?? .max))], operation)
            if rows.isEmpty, try await self.run("SELECT 1 FROM bars WHERE symbol = ? AND timeframe = ? LIMIT 1", key, operation).isEmpty { return nil }
            var columns = BarColumns(capacity: rows.count)
            for r in rows {
                columns.append(ts: Int64(try Self.int(r, "ts")), open: try Self.double(r, "open"), high: try Self.double(r, "high"),
                               low: try Self.double(r, "low"), close: try Self.double(r, "close"), volume: try Self.double(r, "volume"))
            }
            return columns.series(symbol: symbol, timeframe: timeframe)
        }
    }

    public func archivedSeries() async throws -> [ArchivedSeries] {
        let rows = try await lock.withLock {
            try await self.run("SELECT symbol, timeframe, count(*) AS n, min(ts) AS first, max(ts) AS last FROM bars GROUP BY symbol, timeframe ORDER BY symbol, timeframe",
                               [], "list archived bars")
        }
        return try rows.map { r in
            ArchivedSeries(symbol: try Self.text(r, "symbol"), timeframe: try Self.text(r, "timeframe"), count: try Self.int(r, "n"),
                           first: Int64(try Self.int(r, "first")), last: Int64(try Self.int(r, "last")))
        }
    }

    @discardableResult
    public func deleteArchivedBars(symbol: String, timeframe: Timeframe) async throws -> Int {
        let operation = "delete archived bars of \(symbol) \(timeframe)"
        return try await transaction(operation) {
            try await self.run("DELETE FROM bars WHERE symbol = ? AND timeframe = ? RETURNING ts", [.text(symbol), .text(timeframe.description)], operation).count
        }
    }
}
