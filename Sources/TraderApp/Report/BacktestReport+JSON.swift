public import TraderCore
public import TraderEngine

extension BacktestReport {
    /// The machine-readable report: run description, metrics, and optionally trades and equity.
    public static func json(_ r: BacktestResult, parameters: [(String, Double)], includeTrades: Bool) -> JSONValue {
        var doc = json(RunSummary(r), parameters: parameters)
        if includeTrades, case var .object(fields) = doc {
            fields.append(("trades", .array(r.trades.map(json))))
            fields.append(("open_trades", .array(r.openTrades.map(json))))
            doc = .object(fields)
        }
        return doc
    }

    /// The report without the trade list (a streaming run keeps none).
    public static func json(_ r: RunSummary, parameters: [(String, Double)]) -> JSONValue {
        var metrics: [(String, JSONValue)] = []
        for row in rows(r) where !["symbol", "strategy"].contains(row.key) {
            metrics.append((row.key, json(row.value)))
        }
        return .object([
            ("symbol", .string(r.symbol)),
            ("timeframe", .string(r.timeframe.description)),
            ("strategy", .object([("name", .string(r.strategy)), ("parameters", .object(parameters.map { ($0.0, .number($0.1)) }))])),
            ("settings", .object(settingsFields(r.settings) + [("sizing", sizing(r))])),
            ("metrics", .object(metrics)),
        ])
    }

    /// The execution settings as the report writes them (without sizing).
    public static func settingsJSON(_ s: ExecutionSettings) -> JSONValue { .object(settingsFields(s)) }

    static func settingsFields(_ s: ExecutionSettings) -> [(String, JSONValue)] {
        [
            ("capital", .number(s.initialCapital)),
            ("commission_rate", .number(s.commission.rate)),
            ("commission_fixed", .number(s.commission.fixed)),
            ("spread", .number(s.costs.spread)),
            ("slippage_bps", .number(s.costs.slippage * 10_000)),
            ("fill", .string(s.fill.rawValue)),
            ("direction", .string(s.direction.rawValue)),
            ("position_fraction", .number(s.positionFraction)),
            ("whole_units", .bool(s.wholeUnits)),
            ("stop_loss", s.stopLoss.map(JSONValue.number) ?? .null),
            ("take_profit", s.takeProfit.map(JSONValue.number) ?? .null),
            ("trailing_stop", s.trailingStop.map(JSONValue.number) ?? .null),
            ("volume_limit", s.volumeLimit.map(JSONValue.number) ?? .null),
            ("close_at_end", .bool(s.closeAtEnd)),
            ("end_of_run_exit", .string(s.endOfRunExit.rawValue)),
            ("risk", riskJSON(s.risk)),
        ]
    }

    /// The risk rules that were set (null: none), each by its configuration name.
    static func riskJSON(_ r: RiskRules) -> JSONValue {
        guard r.isActive else { return .null }
        var fields: [(String, JSONValue)] = []
        if let x = r.dailyLossLimit { fields.append(("daily_loss_limit", .number(x.fraction))) }
        if let x = r.drawdownHalt { fields.append(("drawdown_halt", .number(x.fraction))) }
        if let x = r.patternDayTrader { fields.append(("pattern_day_trader", .string(x.accountType.rawValue))) }
        if let x = r.maxOpenPositions { fields.append(("max_positions", .integer(x.count))) }
        if let x = r.maxPositionFraction { fields.append(("max_position_fraction", .number(x.fraction))) }
        if let x = r.maxExposureFraction { fields.append(("max_exposure_fraction", .number(x.fraction))) }
        if let x = r.cashReserve { fields.append(("cash_reserve", .number(x.fraction))) }
        if let x = r.weeklyEntryLimit { fields.append(("max_entries_per_week", .integer(x.count))) }
        return .object(fields)
    }

    /// The sizing of the run: the sizer's rule and parameters and the entries it declined, or —
    /// without a sizer — the fixed fraction of the settings.
    static func sizing(_ r: RunSummary) -> JSONValue {
        guard let sizing = r.sizing else {
            return .object([("rule", .string("fixed")), ("fraction", .number(r.settings.positionFraction)), ("sizer", .bool(false))])
        }
        return .object([("rule", .string(sizing.rule))] + sizing.parameters.map { ($0.name, .number($0.value)) }
            + [("sizer", .bool(true)), ("skipped_entries", .integer(r.skippedEntries))])
    }

    static func json(_ t: Trade) -> JSONValue {
        .object([
            ("size", .number(t.size)), ("entry_bar", .integer(t.entryBar)), ("exit_bar", .integer(t.exitBar)),
            ("entry_time", .string(t.entryTime.iso8601(dateOnlyAtMidnight: true))),
            ("exit_time", .string(t.exitTime.iso8601(dateOnlyAtMidnight: true))),
            ("entry_price", .number(t.entryPrice)), ("exit_price", .number(t.exitPrice)),
            ("pnl", .number(t.pnl)), ("return_pct", .number(t.returnPct * 100)),
            ("commission", .number(t.commission)), ("duration_days", .number(t.duration.days)),
            ("exit_reason", .string(t.exitReason.rawValue)),
        ])
    }

    static func json(_ v: ReportRow.Value) -> JSONValue {
        switch v {
        case let .number(d), let .money(d), let .percent(d): .number(d)
        case let .integer(i): .integer(i)
        case let .time(t): .string(t.iso8601(dateOnlyAtMidnight: true))
        case let .duration(d): d.map { .number($0.days) } ?? .null
        case let .text(s): .string(s)
        }
    }
}
