import TraderAnalysis
import TraderCache
import TraderCore
import TraderEngine

/// Field-by-field binary forms of the small records inside cached runs. Written out by hand
/// rather than through `Codable`: decoding a run must cost microseconds, and `Codable` with
/// `JSONDecoder` spent milliseconds of a short CLI process on runtime type lookups. Field counts
/// are checked against the types by `CacheKeyMaterialTests`, so a new field cannot be forgotten.
enum RunRecordCoding {
    static let metricsFieldCount = 33

    static func write(_ m: PerformanceMetrics, into w: inout ByteWriter) {
        w.write(m.start.nanos); w.write(m.end.nanos); w.write(m.duration.nanos)
        for x in [m.exposureTimePct, m.equityFinal, m.equityPeak, m.commissions, m.returnPct, m.buyAndHoldReturnPct,
                  m.annualizedReturnPct, m.annualizedVolatilityPct, m.cagrPct, m.sharpeRatio, m.sortinoRatio, m.calmarRatio,
                  m.alphaPct, m.beta, m.maxDrawdownPct, m.avgDrawdownPct] { w.write(x) }
        write(m.maxDrawdownDuration, into: &w); write(m.avgDrawdownDuration, into: &w)
        w.write(Int64(m.tradeCount))
        for x in [m.winRatePct, m.bestTradePct, m.worstTradePct, m.avgTradePct] { w.write(x) }
        write(m.maxTradeDuration, into: &w); write(m.avgTradeDuration, into: &w)
        for x in [m.profitFactor, m.expectancyPct, m.sqn, m.kellyCriterion, m.annualTradingDays] { w.write(x) }
    }

    static func readMetrics(_ r: inout ByteReader) -> PerformanceMetrics? {
        var m = PerformanceMetrics.undefined
        guard let start = r.read(Int64.self), let end = r.read(Int64.self), let duration = r.read(Int64.self) else { return nil }
        m.start = Timestamp(nanos: start); m.end = Timestamp(nanos: end); m.duration = Duration64(nanos: duration)
        let first: [WritableKeyPath<PerformanceMetrics, Double>] = [
            \.exposureTimePct, \.equityFinal, \.equityPeak, \.commissions, \.returnPct, \.buyAndHoldReturnPct,
            \.annualizedReturnPct, \.annualizedVolatilityPct, \.cagrPct, \.sharpeRatio, \.sortinoRatio, \.calmarRatio,
            \.alphaPct, \.beta, \.maxDrawdownPct, \.avgDrawdownPct]
        for path in first { guard let x = r.readDouble() else { return nil }; m[keyPath: path] = x }
        guard let maxDD = readDuration(&r), let avgDD = readDuration(&r), let trades = r.read(Int64.self) else { return nil }
        m.maxDrawdownDuration = maxDD; m.avgDrawdownDuration = avgDD; m.tradeCount = Int(trades)
        guard let win = r.readDouble(), let best = r.readDouble(), let worst = r.readDouble(), let avg = r.readDouble(),
              let maxT = readDuration(&r), let avgT = readDuration(&r), let pf = r.readDouble(), let exp = r.readDouble(),
              let sqn = r.readDouble(), let kelly = r.readDouble(), let days = r.readDouble() else { return nil }
        m.winRatePct = win; m.bestTradePct = best; m.worstTradePct = worst; m.avgTradePct = avg
        m.maxTradeDuration = maxT; m.avgTradeDuration = avgT
        m.profitFactor = pf; m.expectancyPct = exp; m.sqn = sqn; m.kellyCriterion = kelly; m.annualTradingDays = days
        return m
    }

    /// An optional duration: a presence byte, then the nanoseconds.
    static func write(_ d: Duration64?, into w: inout ByteWriter) {
        w.write(d != nil)
        w.write(d?.nanos ?? 0)
    }

    /// `.some(nil)` for an absent duration; nil for bytes that are not one.
    static func readDuration(_ r: inout ByteReader) -> Duration64?? {
        guard let present = r.readBool(), let nanos = r.read(Int64.self) else { return nil }
        return .some(present ? Duration64(nanos: nanos) : nil)
    }

    static func write(_ s: ExecutionSettings, into w: inout ByteWriter) {
        w.write(s.initialCapital); w.write(s.commission.rate); w.write(s.commission.fixed); w.write(s.costs.spread); w.write(s.costs.slippage)
        w.write(s.fill.rawValue); w.write(s.direction.rawValue); w.write(s.positionFraction); w.write(s.wholeUnits)
        for x in [s.stopLoss, s.takeProfit, s.trailingStop] { w.write(x != nil); w.write(x ?? 0) }
        w.write(s.endOfRunExit.rawValue); w.write(Int64(s.tradingStartBar))
        w.write(s.volumeLimit != nil); w.write(s.volumeLimit ?? 0)
    }

    static func readSettings(_ r: inout ByteReader) -> ExecutionSettings? {
        var s = ExecutionSettings()
        guard let capital = r.readDouble(), let rate = r.readDouble(), let fixed = r.readDouble(), let spread = r.readDouble(),
              let slippage = r.readDouble(), let fill = r.readString().flatMap(FillTiming.init(rawValue:)),
              let direction = r.readString().flatMap(TradeDirection.init(rawValue:)), let fraction = r.readDouble(),
              let whole = r.readBool() else { return nil }
        guard let commission = try? CommissionModel(rate: rate, fixed: fixed) else { return nil }
        var costs = SlippageModel.zero
        costs.spread = spread
        costs.slippage = slippage
        s.initialCapital = capital; s.commission = commission; s.costs = costs
        s.fill = fill; s.direction = direction; s.positionFraction = fraction; s.wholeUnits = whole
        var exits: [Double?] = []
        for _ in 0..<3 {
            guard let present = r.readBool(), let x = r.readDouble() else { return nil }
            exits.append(present ? x : nil)
        }
        s.stopLoss = exits[0]; s.takeProfit = exits[1]; s.trailingStop = exits[2]
        guard let exit = r.readString().flatMap(EndOfRunExit.init(rawValue:)), let startBar = r.read(Int64.self) else { return nil }
        s.endOfRunExit = exit
        s.tradingStartBar = Int(startBar)
        guard let limited = r.readBool(), let limit = r.readDouble() else { return nil }
        s.volumeLimit = limited ? limit : nil
        return s
    }

    static func write(_ z: SizingSummary?, into w: inout ByteWriter) {
        w.write(z != nil)
        guard let z else { return }
        w.write(z.rule)
        w.write(UInt32(z.parameters.count))
        for p in z.parameters { w.write(p.name); w.write(p.value) }
    }

    static func readSizing(_ r: inout ByteReader) -> SizingSummary?? {
        guard let present = r.readBool() else { return nil }
        guard present else { return .some(nil) }
        guard let rule = r.readString(), let count = r.read(UInt32.self), count <= 64 else { return nil }
        var parameters: [SizingSummary.Parameter] = []
        for _ in 0..<count {
            guard let name = r.readString(), let value = r.readDouble() else { return nil }
            parameters.append(.init(name, value))
        }
        return .some(SizingSummary(rule: rule, parameters: parameters))
    }
}
