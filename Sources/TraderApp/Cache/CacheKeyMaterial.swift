import Foundation
import TraderAnalysis
public import TraderCache
import TraderData
import TraderEngine
import TraderStrategies

/// Turns what identifies a cached value into key parts: a canonical text of the inputs, hashed
/// to 128 bits (two XXH64 digests), so keys stay short and two different inputs never share one
/// in practice.
enum CacheKeyMaterial {
    static func hash(_ text: String) -> UInt64 { XXHash64.hash(Array(text.utf8)) }

    static func digest(_ text: String) -> String {
        MarketDataLocator.hex(hash(text)) + MarketDataLocator.hex(hash(text + "#"))
    }

    /// A strategy with every parameter at full precision (not the rounded display form),
    /// members included.
    static func canonical(_ spec: StrategySpec) -> String {
        let parameters = spec.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
        let members = spec.members.map { "\(canonical($0.spec))*\($0.weight)" }.joined(separator: "+")
        return "\(spec.name)(\(parameters))[\(members)]"
    }

    /// Everything a run depends on besides the bars: strategy, settings, sizing, range. Settings
    /// and sizing are plain values whose reflection lists every field in a fixed order.
    static func canonical(_ request: BacktestRequest) -> String {
        [canonical(request.strategy), String(reflecting: request.settings), request.sizing.map { String(reflecting: $0) } ?? "-",
         request.start.map { String($0.nanos) } ?? "-", request.end.map { String($0.nanos) } ?? "-"].joined(separator: "|")
    }

    /// The engine's version and the build of this executable (size and modification time): a
    /// rebuilt binary never reads results an older build computed.
    static let engine: String = {
        var info = stat()
        // /proc/self/exe is this process's binary whatever PATH found it by (Linux); stat follows the link.
        let exe = FileManager.default.fileExists(atPath: "/proc/self/exe") ? "/proc/self/exe" : (Bundle.main.executablePath ?? "")
        let build = stat(exe, &info) == 0 ? "\(info.st_size).\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" : "unknown"
        return "e\(Backtester.engineVersion)-\(MarketDataLocator.hex(hash(build)))"
    }()
}
