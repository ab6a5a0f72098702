import Foundation
public import TraderCore
import TraderData

extension MarketDataLocator {
    /// A short string that changes whenever the bars `source` would load change: the file's
    /// path, size, modification time (nanoseconds) and inode, hashed — one `stat`, no reading.
    /// For a symbol it is the file the locator would read (bar store first, then CSV), so
    /// importing a symbol into the store or editing its CSV gives cached results a new key.
    /// Synthetic bars are a function of their parameters.
    public func dataVersion(of source: DataSource) throws(AppError) -> String {
        let path: String
        switch source {
        case let .synthetic(symbol, bars, seed, timeframe):
            return "syn-\(Self.hex(CacheKeyMaterial.hash("\(symbol)|\(bars)|\(seed)|\(timeframe.seconds)|\(SyntheticBars.modelVersion)")))"
        case let .file(p, symbol):
            path = p + "|" + (symbol ?? "") + (Self.clipsPrices ? "|clip" : "")
            return "f-" + (try Self.fingerprint(p, extra: path))
        case let .symbol(symbol):
            if let stored = (try? store.entries(symbol: symbol))?.first {
                path = stored.path
            } else if let csv = file(for: symbol) {
                path = csv
            } else {
                _ = try load(source)  // throws the same "no data for symbol" error a load would
                path = symbol
            }
            return "s-" + (try Self.fingerprint(path, extra: symbol.uppercased() + (Self.clipsPrices ? "|clip" : "")))
        }
    }

    static func fingerprint(_ path: String, extra: String) throws(AppError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .usage("cannot read \(path): \(String(cString: strerror(errno)))") }
        let material = "\(path)|\(extra)|\(info.st_size)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)|\(info.st_ino)"
        return hex(CacheKeyMaterial.hash(material))
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
