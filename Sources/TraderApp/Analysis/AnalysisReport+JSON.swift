public import TraderAnalysis
public import TraderCore

/// The machine-readable form of an analysis (shape documented in docs/cli.md). Keys are
/// snake_case, dates ISO 8601, undefined numbers `null`.
public enum AnalysisReport {
    /// The whole analysis.
    public static func json(_ a: MarketAnalysis) -> JSONValue {
        .object([
            ("symbol", .string(a.symbol)),
            ("timeframe", .string(a.timeframe.description)),
            ("as_of", .string(date(a.timestamp))),
            ("bar_index", .integer(a.index)),
            ("bars", .integer(a.barsUsed)),
            ("close", .number(a.snapshot.close)),
            ("recommendation", json(a.recommendation)),
            ("indicators", json(a.snapshot, readings: a.readings)),
            ("levels", json(a.levels)),
            ("patterns", .array(a.patterns.map(json))),
            ("strategies", json(a.comparison)),
        ])
    }

    static func json(_ r: Recommendation) -> JSONValue {
        .object([
            ("action", .string(r.action.rawValue)),
            ("score", .number(r.score)),
            ("confidence", .number(r.confidence)),
            ("coverage", .number(r.coverage)),
            ("components", .array(r.components.map { c in
                .object([("name", .string(c.name)), ("value", .number(c.value)), ("weight", .number(c.weight)),
                         ("contribution", .number(c.contribution)), ("available", .bool(c.available)),
                         ("detail", .string(c.detail))])
            })),
        ])
    }

    static func json(_ s: IndicatorSnapshot, readings: [IndicatorReading]) -> JSONValue {
        .object([
            ("sma_20", .number(s.sma20)), ("sma_50", .number(s.sma50)), ("sma_200", .number(s.sma200)),
            ("ema_12", .number(s.ema12)), ("ema_26", .number(s.ema26)),
            ("rsi_14", .number(s.rsi14)),
            ("macd", .object([("line", .number(s.macdLine)), ("signal", .number(s.macdSignal)),
                              ("histogram", .number(s.macdHistogram))])),
            ("bollinger", .object([("upper", .number(s.bollingerUpper)), ("middle", .number(s.bollingerMiddle)),
                                   ("lower", .number(s.bollingerLower)), ("percent_b", .number(s.bollingerPercentB)),
                                   ("bandwidth", .number(s.bollingerBandwidth))])),
            ("atr_14", .number(s.atr14)), ("atr_pct", .number(s.atrPercent)),
            ("obv", .number(s.obv)), ("obv_slope", .number(s.obvSlope)),
            ("obv_slope_normalized", .number(s.obvSlopeNormalized)),
            ("stochastic", .object([("k", .number(s.stochasticK)), ("d", .number(s.stochasticD))])),
            ("readings", .array(readings.map { r in
                .object([("name", .string(r.name)), ("value", .number(r.value)), ("reading", .string(r.reading.rawValue)),
                         ("rule", .string(r.rule))])
            })),
        ])
    }

    static func json(_ levels: SupportResistance) -> JSONValue {
        .object([
            ("tolerance", .number(levels.tolerance)),
            ("nearest_support", levels.nearestSupport.map(json) ?? .null),
            ("nearest_resistance", levels.nearestResistance.map(json) ?? .null),
            ("levels", .array(levels.levels.map(json))),
        ])
    }

    static func json(_ l: PriceLevel) -> JSONValue {
        .object([
            ("role", .string(l.role.rawValue)), ("price", .number(l.price)), ("low", .number(l.low)), ("high", .number(l.high)),
            ("touches", .integer(l.touches)), ("first_index", .integer(l.firstIndex)), ("last_index", .integer(l.lastIndex)),
            ("last_date", .string(date(l.lastTime))), ("strength", .number(l.strength)),
        ])
    }

    static func json(_ p: ChartPattern) -> JSONValue {
        .object([
            ("kind", .string(p.kind.rawValue)), ("bias", .string(p.bias.rawValue)), ("status", .string(p.status.rawValue)),
            ("start_index", .integer(p.startIndex)), ("end_index", .integer(p.endIndex)),
            ("start_date", .string(date(p.startTime))), ("end_date", .string(date(p.endTime))),
            ("detected_index", .integer(p.detectedAt)),
            ("target", p.target.map(JSONValue.number) ?? .null),
            ("points", .array(p.points.map { pt in
                .object([("role", .string(pt.role)), ("index", .integer(pt.index)), ("date", .string(date(pt.timestamp))),
                         ("price", .number(pt.price))])
            })),
        ])
    }

    static func json(_ c: StrategyComparison) -> JSONValue {
        .object([
            ("bars", .integer(c.bars)), ("start", .string(date(c.start))), ("end", .string(date(c.end))),
            ("ranking", .array(c.scores.map { s in
                .object([
                    ("rank", .integer(s.rank)), ("strategy", .string(s.spec.name)), ("spec", .string(s.spec.description)),
                    ("score", .number(s.score)), ("return_pct", .number(s.returnPct)), ("sharpe_ratio", .number(s.sharpeRatio)),
                    ("max_drawdown_pct", .number(s.maxDrawdownPct)), ("trades", .integer(s.trades)),
                    ("win_rate_pct", .number(s.winRatePct)),
                    ("last_signal", s.lastSignal.map { .string($0.description) } ?? .null),
                    ("last_signal_index", s.lastSignalIndex.map(JSONValue.integer) ?? .null),
                    ("last_signal_date", s.lastSignalTime.map { .string(date($0)) } ?? .null),
                ])
            })),
        ])
    }

    static func date(_ t: Timestamp) -> String { t.iso8601(dateOnlyAtMidnight: true) }
}
