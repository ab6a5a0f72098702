/// Settings are stored with every saved run (`runs show` rebuilds the report from them), so their
/// coded form must keep reading what earlier versions wrote. Written out rather than synthesized
/// for two reasons: before the end-of-run exit had two prices, it was a Bool, `closeAtEnd`, and
/// runs saved then carry that key instead of `endOfRunExit` (true meant the last close); and
/// fields added since (`risk`) take their default when a run saved before them lacks them.
extension ExecutionSettings: Codable {
    enum CodingKeys: String, CodingKey {
        case initialCapital, commission, costs, fill, direction, positionFraction, wholeUnits
        case stopLoss, takeProfit, trailingStop, endOfRunExit, tradingStartBar, risk
        /// The Bool of earlier versions, read only.
        case closeAtEnd
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        initialCapital = try c.decode(Double.self, forKey: .initialCapital)
        commission = try c.decode(CommissionModel.self, forKey: .commission)
        costs = try c.decode(SlippageModel.self, forKey: .costs)
        fill = try c.decode(FillTiming.self, forKey: .fill)
        direction = try c.decode(TradeDirection.self, forKey: .direction)
        positionFraction = try c.decode(Double.self, forKey: .positionFraction)
        wholeUnits = try c.decode(Bool.self, forKey: .wholeUnits)
        stopLoss = try c.decodeIfPresent(Double.self, forKey: .stopLoss)
        takeProfit = try c.decodeIfPresent(Double.self, forKey: .takeProfit)
        trailingStop = try c.decodeIfPresent(Double.self, forKey: .trailingStop)
        if let exit = try c.decodeIfPresent(EndOfRunExit.self, forKey: .endOfRunExit) {
            endOfRunExit = exit
        } else {
            closeAtEnd = try c.decode(Bool.self, forKey: .closeAtEnd)
        }
        tradingStartBar = try c.decode(Int.self, forKey: .tradingStartBar)
        risk = try c.decodeIfPresent(RiskRules.self, forKey: .risk) ?? RiskRules()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(initialCapital, forKey: .initialCapital)
        try c.encode(commission, forKey: .commission)
        try c.encode(costs, forKey: .costs)
        try c.encode(fill, forKey: .fill)
        try c.encode(direction, forKey: .direction)
        try c.encode(positionFraction, forKey: .positionFraction)
        try c.encode(wholeUnits, forKey: .wholeUnits)
        try c.encodeIfPresent(stopLoss, forKey: .stopLoss)
        try c.encodeIfPresent(takeProfit, forKey: .takeProfit)
        try c.encodeIfPresent(trailingStop, forKey: .trailingStop)
        try c.encode(endOfRunExit, forKey: .endOfRunExit)
        try c.encode(tradingStartBar, forKey: .tradingStartBar)
        if risk.isActive { try c.encode(risk, forKey: .risk) }
    }
}
