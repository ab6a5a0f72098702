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

    /// Everything a run depends on besides the bars: strategy, settings, sizing, range.
    static func canonical(_ request: BacktestRequest) -> String {
        [canonical(request.strategy), canonical(request.settings), request.sizing.map(canonical) ?? "-",
         request.start.map { String($0.nanos) } ?? "-", request.end.map { String($0.nanos) } ?? "-"].joined(separator: "|")
    }

    /// Every field, spelled out: reflection (`String(reflecting:)`) would pick new fields up by
    /// itself but costs milliseconds of runtime type lookups in a short-lived process. A test
    /// checks that the field counts still match these lists (`CacheKeyMaterialTests`).
    static func canonical(_ s: ExecutionSettings) -> String {
        func o(_ x: Double?) -> String { x.map { "\($0)" } ?? "-" }
        return ["cap=\(s.initialCapital)", "com=\(s.commission.rate)+\(s.commission.fixed)", "cost=\(s.costs.spread)+\(s.costs.slippage)",
                "fill=\(s.fill.rawValue)", "dir=\(s.direction.rawValue)", "frac=\(s.positionFraction)", "whole=\(s.wholeUnits)",
                "sl=\(o(s.stopLoss))", "tp=\(o(s.takeProfit))", "ts=\(o(s.trailingStop))", "end=\(s.endOfRunExit.rawValue)",
                "start=\(s.tradingStartBar)", "risk=\(s.risk.summary)", "vol=\(o(s.volumeLimit))"].joined(separator: ",")
    }

    static let settingsFieldCount = 14

    static func canonical(_ z: SizingConfiguration) -> String {
        ["rule=\(z.rule.rawValue)", "base=\(z.baseFraction)", "kf=\(z.kellyFraction)", "min=\(z.minimumTrades)", "floor=\(z.kellyFloor)",
         "risk=\(z.riskTarget)", "atr=\(z.atrPeriod)", "maxp=\(z.maxPosition)", "maxe=\(z.maxExposure)"].joined(separator: ",")
    }

    static let sizingFieldCount = 9

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
