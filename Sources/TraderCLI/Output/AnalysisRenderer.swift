import TraderAnalysis
import TraderCore

/// Renders an analysis for people: the recommendation with its components first (the answer and
/// why), then the indicators, levels, patterns and the strategy ranking it came from.
struct AnalysisRenderer {
    let terminal: Terminal

    private var numbers: ReportRenderer { ReportRenderer(terminal: terminal) }

    func render(_ a: MarketAnalysis) -> String {
        let s = a.snapshot
        let header = "\(a.symbol) \(a.timeframe)  as of \(date(a.timestamp)) (bar \(a.index), \(a.barsUsed) bars read)  close \(price(s.close))"
        return [terminal.paint(header, .bold), recommendation(a.recommendation), indicators(a), levels(a.levels),
                patterns(a), strategies(a.comparison)].joined(separator: "\n\n")
    }

    func recommendation(_ r: Recommendation) -> String {
        let style: Terminal.Style = r.score > 0 ? .green : r.score < 0 ? .red : .yellow
        var lines = [terminal.paint("Recommendation: ", .bold) + terminal.paint(r.action.rawValue.uppercased(), style)
            + "  score \(fixed(r.score, 3))  confidence \(fixed(r.confidence, 2))  coverage \(fixed(r.coverage, 2))"]
        var t = TextTable(headers: ["component", "value", "weight", "contribution", "inputs"],
                          alignments: [.left, .right, .right, .right, .left])
        for c in r.components {
            t.rows.append([c.name, c.available ? fixed(c.value, 3) : "n/a", fixed(c.weight, 2), fixed(c.contribution, 3), c.detail])
        }
        lines.append(t.render(headerStyle: { terminal.paint($0, .dim) }))
        return lines.joined(separator: "\n")
    }

    func indicators(_ a: MarketAnalysis) -> String {
        let s = a.snapshot
        func reading(_ name: String) -> String { a.readings.first { $0.name == name }?.reading.rawValue ?? "" }
        var t = TextTable(headers: ["indicator", "value", "reading"], alignments: [.left, .right, .left])
        t.rows = [
            ["SMA(20)", price(s.sma20), reading("sma20")],
            ["SMA(50)", price(s.sma50), reading("sma50")],
            ["SMA(200)", price(s.sma200), reading("sma200")],
            ["EMA(12) / EMA(26)", "\(price(s.ema12)) / \(price(s.ema26))", reading("ema12-ema26")],
            ["RSI(14)", fixed(s.rsi14, 2), reading("rsi14")],
            ["MACD(12,26,9) line / signal / hist", "\(price(s.macdLine)) / \(price(s.macdSignal)) / \(price(s.macdHistogram))",
             reading("macd-histogram")],
            ["Bollinger(20,2) lower / upper, %B", "\(price(s.bollingerLower)) / \(price(s.bollingerUpper)), \(fixed(s.bollingerPercentB, 2))",
             reading("bollinger-percent-b")],
            ["ATR(14), % of close", "\(price(s.atr14)), \(fixed(s.atrPercent, 2)) %", reading("atr-percent")],
            ["OBV, slope per mean volume", "\(numbers.number(s.obv, digits: 0, grouped: true)), \(fixed(s.obvSlopeNormalized, 2))",
             reading("obv-slope")],
            ["Stochastic(14,3) %K / %D", "\(fixed(s.stochasticK, 2)) / \(fixed(s.stochasticD, 2))", reading("stochastic-k")],
        ]
        return terminal.paint("Indicators", .bold) + "\n" + t.render(headerStyle: { terminal.paint($0, .dim) })
    }

    func levels(_ l: SupportResistance) -> String {
        var lines = [terminal.paint("Support and resistance", .bold) + "  (swing points within \(price(l.tolerance)) clustered)"]
        let nearest = [("nearest support", l.nearestSupport), ("nearest resistance", l.nearestResistance)].map { name, level in
            "\(name): " + (level.map { "\(price($0.price)) (\($0.touches) touch\($0.touches == 1 ? "" : "es"), last \(date($0.lastTime)))" } ?? "none")
        }
        lines.append(nearest.joined(separator: "   "))
        if !l.levels.isEmpty {
            var t = TextTable(headers: ["role", "price", "zone", "touches", "last touch", "strength"],
                              alignments: [.left, .right, .right, .right, .left, .right])
            for level in l.levels {
                t.rows.append([level.role.rawValue, price(level.price), "\(price(level.low))–\(price(level.high))",
                               String(level.touches), date(level.lastTime), fixed(level.strength, 2)])
            }
            lines.append(t.render(headerStyle: { terminal.paint($0, .dim) }))
        }
        return lines.joined(separator: "\n")
    }

    func patterns(_ a: MarketAnalysis) -> String {
        let title = terminal.paint("Chart patterns", .bold)
        guard !a.patterns.isEmpty else { return title + "\nnone in the searched bars" }
        var t = TextTable(headers: ["pattern", "bias", "status", "from", "to", "key points", "target"],
                          alignments: [.left, .left, .left, .left, .left, .left, .right])
        for p in a.patterns {
            let points = p.points.map { "\($0.role) \(price($0.price)) @\(date($0.timestamp))" }.joined(separator: ", ")
            t.rows.append([p.kind.rawValue, p.bias.rawValue, p.status.rawValue, date(p.startTime), date(p.endTime), points,
                           p.target.map(price) ?? "--"])
        }
        return title + "\n" + t.render(headerStyle: { terminal.paint($0, .dim) })
    }

    func strategies(_ c: StrategyComparison) -> String {
        let title = terminal.paint("Strategies", .bold) + "  (defaults, \(c.bars) bars: \(date(c.start)) … \(date(c.end)))"
        var t = TextTable(headers: ["#", "strategy", "score", "return [%]", "sharpe", "max dd [%]", "trades", "last signal"],
                          alignments: [.right, .left, .right, .right, .right, .right, .right, .left])
        for s in c.scores {
            t.rows.append([String(s.rank), s.spec.name, fixed(s.score, 3), fixed(s.returnPct, 2), fixed(s.sharpeRatio, 2),
                           fixed(s.maxDrawdownPct, 2), String(s.trades),
                           s.lastSignal.map { "\($0) \(s.lastSignalTime.map(date) ?? "")" } ?? "--"])
        }
        return title + "\n" + t.render(headerStyle: { terminal.paint($0, .dim) })
    }

    func fixed(_ x: Double, _ digits: Int) -> String { numbers.number(x, digits: digits) }
    func price(_ x: Double) -> String { numbers.number(x, digits: abs(x) < 10 ? 4 : 2) }
    func date(_ t: Timestamp) -> String { t.iso8601(dateOnlyAtMidnight: true) }
}
