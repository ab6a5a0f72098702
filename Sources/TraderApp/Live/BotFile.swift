public import TraderCore
import TraderData
public import TraderEngine
public import TraderLive
import TraderStrategies
import TraderWorkflows
public import TraderYAML

/// One bot of a bot file: what `gpt-trader run` starts.
public struct BotDefinition: Sendable {
    public var request: PaperRequest
    /// Who fills its orders: `paper` (the simulated broker on the feed), `alpaca` or `coinbase`.
    public var broker: String
    /// Where it is defined, for messages.
    public var location: YAMLLocation
}

/// Reads bot files (docs/live.md): a `bots:` list, each bot with its data or feed, strategy and
/// parameters, execution costs and risk limits. Every mistake is one `YAMLError` naming the file,
/// line and column, and the key.
///
/// ```yaml
/// bots:
///   - name: goog-trend
///     symbol: GOOG                 # or data: prices.csv, or synthetic: { bars: 5000, seed: 7, timeframe: 1m }
///     strategy: sma-crossover
///     parameters: { fast: 10, slow: 30 }
///     feed: replay                 # replay | synthetic | coinbase | alpaca
///     speed: max                   # or N times real time
///     broker: paper
///     capital: 10000
///     commission: 0.001
///     risk:                        # default: bot_v2's paper limits; `risk: none` for none
///       max_position_fraction: 0.2
///       max_positions: 10
///       daily_loss_limit: 0.05
///       drawdown_halt: 0.15
///       cash_reserve: 0.1
/// ```
public enum BotFile {
    static let botKeys = ["name", "symbol", "data", "synthetic", "start", "end", "strategy", "parameters", "feed", "feed_url", "history_url", "speed", "broker", "broker_url",
                          "capital", "commission", "commission_fixed", "slippage_bps", "spread", "fill", "direction", "position_fraction",
                          "fractional", "stop_loss", "take_profit", "trailing_stop", "volume_limit", "risk", "guards"]
    static let guardKeys = ["rejection_burst", "stuck_order_bars", "stale_after", "write_errors", "on_breach"]
    static let riskKeys = ["daily_loss_limit", "drawdown_halt", "max_positions", "max_position_fraction", "max_exposure_fraction",
                           "cash_reserve", "max_entries_per_week"]
    public static let brokers = ["paper", "alpaca", "coinbase"]

    public static func load(path: String) throws -> [BotDefinition] {
        try parse(try YAMLFile.read(path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(YAMLError) -> [BotDefinition] {
        let root = try YAMLNode.parse(text, file: file)
        var bots: [BotDefinition] = []
        var seen: [String: YAMLLocation] = [:]
        for entry in try root.mapping("a bot file") {
            guard entry.key == "bots" else { throw entry.keyLocation.error("unknown key '\(entry.key)' (a bot file has: bots)") }
            for item in try entry.value.sequence("bots") {
                let bot = try parseBot(item)
                if let first = seen[bot.request.bot] {
                    throw item.location.error("bot name '\(bot.request.bot)' is used twice (first at line \(first.line))")
                }
                seen[bot.request.bot] = item.location
                bots.append(bot)
            }
        }
        guard !bots.isEmpty else { throw root.location.error("no bots: the file needs a 'bots:' list with at least one bot") }
        return bots
    }

    static func parseBot(_ node: YAMLNode) throws(YAMLError) -> BotDefinition {
        var fields: [String: (YAMLNode, YAMLLocation)] = [:]
        for e in try node.mapping("a bot") {
            guard botKeys.contains(e.key) else { throw e.keyLocation.error("unknown key '\(e.key)' (a bot has: \(botKeys.joined(separator: ", ")))") }
            fields[e.key] = (e.value, e.keyLocation)
        }
        func text(_ key: String) throws(YAMLError) -> String? { try fields[key].map { (v, _) throws(YAMLError) in try v.text(key) } }
        func number(_ key: String) throws(YAMLError) -> Double? {
            guard let (v, _) = fields[key] else { return nil }
            let t = try v.text(key)
            guard let x = Double(t), x.isFinite else { throw v.location.error("\(key) must be a number, got '\(DisplayText.quote(t))'") }
            return x
        }
        func fail(_ key: String, _ why: String) -> YAMLError { (fields[key]?.0.location ?? node.location).error("\(key): \(why)") }

        guard let name = try text("name") else { throw node.location.error("a bot needs a name") }
        if let why = BotName.violation(name) { throw fail("name", why) }

        // Data: one of symbol, data, synthetic.
        let sources = ["symbol", "data", "synthetic"].filter { fields[$0] != nil }
        guard sources.count <= 1 else { throw fail(sources[1], "give only one of symbol, data and synthetic") }
        let source: DataSource
        if let path = try text("data") {
            source = .file(path: path, symbol: try text("symbol"))
        } else if let (v, _) = fields["synthetic"] {
            var bars = 1_000, seed: UInt64 = 42, timeframe = Timeframe.minute1
            for e in try v.mapping("synthetic") {
                switch e.key {
                case "bars": bars = try e.value.integer("bars")
                case "seed": seed = UInt64(clamping: try e.value.integer("seed"))
                case "timeframe":
                    let t = try e.value.text("timeframe")
                    do { timeframe = try Timeframe(parsing: t) } catch { throw e.value.location.error("timeframe: \(error.reason)") }
                default: throw e.keyLocation.error("unknown key '\(e.key)' (synthetic has: bars, seed, timeframe)")
                }
            }
            if let why = SyntheticBars.inMemoryBounds.violation(bars) { throw v.location.error("synthetic.bars \(why)") }
            source = .synthetic(symbol: "SYNTH", bars: bars, seed: seed, timeframe: timeframe)
        } else {
            source = .symbol(try text("symbol") ?? "GOOG")
        }
        func date(_ key: String) throws(YAMLError) -> Timestamp? {
            guard let t = try text(key) else { return nil }
            guard let d = DateInput.parse(t) else { throw fail(key, "'\(DisplayText.quote(t))' is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)") }
            // A bare date as the end includes that whole day, as --end.
            return key == "end" && t.count == 10 ? Timestamp(nanos: d.nanos + Timestamp.nanosPerDay - 1) : d
        }

        // Strategy and parameters.
        let strategyName = try text("strategy") ?? "sma-crossover"
        var overrides: [String: Double] = [:]
        if let (v, _) = fields["parameters"] {
            for p in try v.mapping("parameters") {
                let t = try p.value.text(p.key)
                guard let x = Double(t), x.isFinite else { throw p.value.location.error("parameters.\(p.key) must be a number, got '\(DisplayText.quote(t))'") }
                overrides[p.key] = x
            }
        }
        let spec: StrategySpec
        do { spec = try StrategySpec(name: strategyName, overrides: overrides) } catch {
            throw (fields["parameters"]?.0.location ?? fields["strategy"]?.0.location ?? node.location).error(error.description)
        }

        // Feed and broker.
        let feedText = try text("feed") ?? "replay"
        guard let feed = FeedChoice(rawValue: feedText) else {
            throw fail("feed", "must be one of \(FeedChoice.allCases.map(\.rawValue).joined(separator: ", ")), got '\(DisplayText.quote(feedText))'")
        }
        let speedText = try text("speed") ?? "max"
        guard let speed = ReplaySpeed(speedText) else { throw fail("speed", "must be max or a positive decimal number, got '\(DisplayText.quote(speedText))'") }
        let broker = try text("broker") ?? "paper"
        guard brokers.contains(broker) else { throw fail("broker", "must be one of \(brokers.joined(separator: ", ")), got '\(DisplayText.quote(broker))'") }

        // Execution: what a key does not say comes from the configuration, as for `backtest`'s flags.
        var s = ExecutionSettings()
        s.initialCapital = try number("capital") ?? ActiveConfiguration.number("backtest.capital")
        do {
            s.commission = try CommissionModel(rate: try number("commission") ?? ActiveConfiguration.number("backtest.commission"),
                                               fixed: try number("commission_fixed") ?? 0)
            s.costs = try SlippageModel(spread: try number("spread") ?? 0,
                                        slippageBps: try number("slippage_bps") ?? ActiveConfiguration.number("backtest.slippage_bps"))
        } catch let e as DomainError {
            throw fail(e.field == "rate" ? "commission" : e.field, e.reason)
        } catch let e as YAMLError {
            throw e
        } catch {
            throw node.location.error("\(error)")
        }
        let f = try text("fill") ?? ActiveConfiguration.string("backtest.fill")
        guard let timing = FillTiming(rawValue: f) else { throw fail("fill", "must be next-open or close, got '\(DisplayText.quote(f))'") }
        s.fill = timing
        if let d = try text("direction") {
            switch d {
            case "long-only": s.direction = .longOnly
            case "long-short": s.direction = .longShort
            default: throw fail("direction", "must be long-only or long-short, got '\(DisplayText.quote(d))'")
            }
        }
        if let x = try number("position_fraction") { s.positionFraction = x }
        if let (v, _) = fields["fractional"] { s.wholeUnits = !(try v.bool("fractional")) }
        s.stopLoss = try number("stop_loss") ?? ActiveConfiguration.optionalNumber("risk.stop_loss")
        s.takeProfit = try number("take_profit") ?? ActiveConfiguration.optionalNumber("risk.take_profit")
        s.trailingStop = try number("trailing_stop")
        s.volumeLimit = try number("volume_limit")
        s.risk = try risk(fields["risk"]?.0)
        do { try s.validate() } catch { throw fail(error.field.replacingOccurrences(of: "-", with: "_"), error.reason) }

        let backtest = BacktestRequest(source: source, start: try date("start"), end: try date("end"), strategy: spec, settings: s)
        return BotDefinition(request: PaperRequest(backtest: backtest, feed: feed, speed: speed, bot: name, guards: try guards(fields["guards"]?.0),
                                                   feedURL: try text("feed_url"), historyURL: try text("history_url"),
                                                   broker: BrokerChoice(rawValue: broker) ?? .paper, brokerURL: try text("broker_url")),
                             broker: broker, location: node.location)
    }

    /// The `guards:` mapping (none when absent):
    /// `{ rejection_burst: 10/50, stuck_order_bars: 20, stale_after: 30s, write_errors: 5, on_breach: halt-entries }`.
    static func guards(_ node: YAMLNode?) throws(YAMLError) -> GuardSettings {
        var g = GuardSettings()
        guard let node else { return g }
        func positive(_ e: YAMLNode, _ key: String) throws(YAMLError) -> Int {
            let n = try e.integer(key)
            guard n >= 1 else { throw e.location.error("guards.\(key) must be at least 1, got \(n)") }
            return n
        }
        for e in try node.mapping("guards") {
            switch e.key {
            case "rejection_burst":
                let t = try e.value.text(e.key)
                let parts = t.split(separator: "/")
                guard parts.count == 2, let count = Int(parts[0]), let bars = Int(parts[1]), count >= 1, bars >= 1 else {
                    throw e.value.location.error("guards.rejection_burst must be COUNT/BARS (more than COUNT refusals within BARS bars), got '\(DisplayText.quote(t))'")
                }
                g.rejectionBurst = (count, bars)
            case "stuck_order_bars": g.stuckOrderBars = try positive(e.value, e.key)
            case "write_errors": g.writeErrors = try positive(e.value, e.key)
            case "stale_after":
                let t = try e.value.text(e.key)
                guard let d = DurationText.parse(t), d > .zero else {
                    throw e.value.location.error("guards.stale_after must be \(DurationText.expectation), got '\(DisplayText.quote(t))'")
                }
                g.staleAfter = d
            case "on_breach":
                let t = try e.value.text(e.key)
                guard let a = GuardAction(rawValue: t) else {
                    throw e.value.location.error("guards.on_breach must be one of \(GuardAction.allCases.map(\.rawValue).joined(separator: ", ")), got '\(DisplayText.quote(t))'")
                }
                g.onBreach = a
            default: throw e.keyLocation.error("unknown key 'guards.\(e.key)' (guards has: \(guardKeys.joined(separator: ", ")))")
            }
        }
        return g
    }

    /// The `risk:` mapping; bot_v2's paper limits when absent, none for `risk: none`.
    static func risk(_ node: YAMLNode?) throws(YAMLError) -> RiskRules {
        guard let node else { return .paperTradingDefaults }
        if case .scalar = node.kind, (try? node.text("risk")) == "none" { return RiskRules() }
        var r = RiskRules()
        for e in try node.mapping("risk") {
            let t = try e.value.text(e.key)
            guard let x = Double(t), x.isFinite else { throw e.value.location.error("risk.\(e.key) must be a number, got '\(DisplayText.quote(t))'") }
            switch e.key {
            case "daily_loss_limit": r.dailyLossLimit = DailyLossLimit(x)
            case "drawdown_halt": r.drawdownHalt = DrawdownHalt(x)
            case "max_positions": r.maxOpenPositions = MaxOpenPositions(Int(x))
            case "max_position_fraction": r.maxPositionFraction = MaxPositionFraction(x)
            case "max_exposure_fraction": r.maxExposureFraction = MaxExposureFraction(x)
            case "cash_reserve": r.cashReserve = CashReserve(x)
            case "max_entries_per_week": r.weeklyEntryLimit = WeeklyEntryLimit(Int(x))
            default: throw e.keyLocation.error("unknown key 'risk.\(e.key)' (risk has: \(riskKeys.joined(separator: ", ")))")
            }
        }
        do { try r.validate() } catch { throw node.location.error("risk.\(error.field.replacingOccurrences(of: "-", with: "_")): \(error.reason)") }
        return r
    }
}
