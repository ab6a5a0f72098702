import TraderAnalysis
import TraderApp
import TraderCore

/// Renders a regime analysis for people: the current regime with the inputs that decided it,
/// then for each method the history (shares and runs), the transition matrix and the recent
/// changes, the HMM's states, and the agreement of the two methods.
struct RegimeRenderer {
    let terminal: Terminal
    let recentChanges: Int
    private var numbers: ReportRenderer { ReportRenderer(terminal: terminal) }

    func render(_ a: RegimeAnalysis) -> String {
        let s = a.series
        var out: [String] = []
        let first = date(s.timestamps[a.range.lowerBound]), last = date(s.timestamps[a.range.upperBound - 1])
        var header = "\(s.symbol) \(s.timeframe)  \(first) … \(last)  \(numbers.number(Double(a.range.count), digits: 0, grouped: true)) bars"
        if a.range.lowerBound > 0 { header += " (+\(a.range.lowerBound) earlier bars for warm-up and training)" }
        out.append(terminal.paint(header, .bold))
        if let readings = a.readings, let history = a.thresholdHistory {
            out.append("")
            out.append(current(readings[readings.count - 1], at: s.timestamps[s.count - 1], thresholds: a.thresholds))
            out.append("")
            out.append(section("History by thresholds", history))
        }
        if let hmm = a.hmm, let history = a.hmmHistory {
            out.append("")
            out.append(hmmSection(hmm, history: history, timestamps: s.timestamps))
        }
        if let agreement = a.agreement {
            out.append("")
            out.append(agreementSection(agreement))
        }
        return out.joined(separator: "\n")
    }

    func count(_ n: Int) -> String { numbers.number(Double(n), digits: 0, grouped: true) }
    func date(_ nanos: Int64) -> String { Timestamp(nanos: nanos).iso8601(dateOnlyAtMidnight: true) }
    func pct(_ fraction: Double, signed: Bool = false) -> String {
        let text = numbers.number(fraction * 100, digits: 2)
        return (signed && fraction > 0 ? "+" : "") + text + " %"
    }

    func current(_ r: RegimeReading, at nanos: Int64, thresholds t: RegimeThresholds) -> String {
        var lines: [String] = []
        let name = r.regime?.rawValue ?? "none (warm-up)"
        let size = r.regime.map { "  (position size ×\(numbers.number($0.sizeMultiplier, digits: 1)))" } ?? ""
        lines.append(terminal.paint("Current regime on \(date(nanos)): ", .bold) + terminal.paint(name, color(r.regime)) + size)
        var table = TextTable(headers: ["", "", "", ""], alignments: [.left, .right, .left, .left])
        table.rows.append(["  Volatility (\(t.volatilityWindow) returns, annualized)", pct(r.volatility),
                           t.volatilityLevel(r.volatility)?.rawValue ?? "--",
                           "low < \(pct(t.lowVolatility)), quiet < \(pct(t.volatileVolatility)), crisis ≥ \(pct(t.crisisVolatility)) with stress"])
        table.rows.append(["  Trend (\(t.trendWindow) bars, annualized)", pct(r.trend, signed: true), t.trendLevel(r.trend)?.rawValue ?? "--",
                           "sideways within ±\(pct(t.sidewaysTrend)), strong beyond ±\(pct(t.strongTrend))"])
        table.rows.append(["  Drawdown (\(t.peakWindow)-bar peak)", pct(r.drawdown), r.drawdown >= t.stressDrawdown ? "stress" : "no stress",
                           "stress ≥ \(pct(t.stressDrawdown))"])
        let dim = terminal
        table.paint = { _, c, text in c == 3 ? dim.paint(text, .dim) : text }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }

    func color(_ r: Regime?) -> Terminal.Style {
        guard let r else { return .dim }
        if r == .crisis { return .red }
        switch r.direction {
        case 1: return .green
        case -1: return .yellow
        default: return .cyan
        }
    }

    /// Shares and runs, the transition matrix and the recent changes of one method.
    func section(_ title: String, _ h: RegimeHistory) -> String {
        var lines: [String] = []
        lines.append(terminal.paint(title, .bold) + terminal.paint(
            "  \(count(h.classifiedBars)) classified bars, \(count(h.runs.count)) runs, \(count(h.changes.count)) changes", .dim))
        let present = Regime.allCases.filter { h.barCount($0) > 0 }
        var shares = TextTable(headers: ["Regime", "Bars", "Share [%]", "Runs", "Avg run [bars]"],
                               alignments: [.left, .right, .right, .right, .right])
        for r in present {
            shares.rows.append([r.rawValue, count(h.barCount(r)), numbers.number(h.share(r) * 100, digits: 2),
                                String(h.runCount(r)), numbers.number(h.averageRunLength(r), digits: 1)])
        }
        lines.append(shares.render(headerStyle: { terminal.paint($0, .bold) }))
        if !present.isEmpty {
            lines.append("")
            lines.append(terminal.paint("Transition probabilities [%] (row: from, column: to; counts in parentheses)", .dim))
            var matrix = TextTable(headers: ["from \\ to"] + present.map(\.rawValue),
                                   alignments: [.left] + present.map { _ in .right })
            for from in present {
                matrix.rows.append([from.rawValue] + present.map { to in
                    let p = h.transitions.probability(from: from.ordinal, to: to.ordinal)
                    return numbers.number(p * 100, digits: 1) + " (\(h.transitions.count(from: from.ordinal, to: to.ordinal)))"
                })
            }
            lines.append(matrix.render(headerStyle: { terminal.paint($0, .bold) }))
        }
        if recentChanges > 0 && !h.changes.isEmpty {
            lines.append("")
            let shown = h.changes.suffix(recentChanges)
            lines.append(terminal.paint("Recent changes (last \(shown.count) of \(h.changes.count))", .dim))
            var table = TextTable(headers: ["Bar", "Date", "From", "To"], alignments: [.right, .left, .left, .left])
            for c in shown {
                table.rows.append([String(c.bar), c.timestamp.iso8601(dateOnlyAtMidnight: true), c.from?.rawValue ?? "(start)", c.to.rawValue])
            }
            lines.append(table.render(headerStyle: { terminal.paint($0, .bold) }))
        }
        return lines.joined(separator: "\n")
    }

    func hmmSection(_ hmm: HMMRegimes, history: RegimeHistory, timestamps: BarColumn<Int64>) -> String {
        let m = hmm.model, fit = hmm.fit
        var lines: [String] = []
        lines.append(terminal.paint("Gaussian HMM", .bold) + terminal.paint(
            "  \(m.stateCount) states on daily log returns, Baum-Welch: \(fit.iterations) iterations, "
            + (fit.converged ? "converged" : "not converged") + ", log-likelihood \(numbers.number(fit.logLikelihood, digits: 2, grouped: true)), "
            + "best of \(fit.startLogLikelihoods.count) starts", .dim))
        var counts = [Int](repeating: 0, count: m.stateCount)
        for case let s? in hmm.viterbiStates[history.range] { counts[s] += 1 }
        let total = Swift.max(1, counts.reduce(0, +))
        var states = TextTable(headers: ["State", "Drift/yr [%]", "Vol/yr [%]", "Stay [%]", "Avg stay [bars]", "Share [%]", "Regime"],
                               alignments: [.right, .right, .right, .right, .right, .right, .left])
        for j in 0..<m.stateCount {
            states.rows.append([String(j), numbers.number(hmm.annualizedDrift(j) * 100, digits: 2),
                                numbers.number(hmm.annualizedVolatility(j) * 100, digits: 2),
                                numbers.number(m.transition(from: j, to: j) * 100, digits: 1),
                                numbers.number(m.expectedDuration(j), digits: 1),
                                numbers.number(Double(counts[j]) / Double(total) * 100, digits: 2), hmm.stateRegimes[j].rawValue])
        }
        lines.append(states.render(headerStyle: { terminal.paint($0, .bold) }))
        let last = hmm.filtered.count - 1
        if let state = hmm.filteredStates[last] {
            let probabilities = hmm.filtered[last].enumerated().map { "\($0.offset): \(numbers.number($0.element, digits: 3))" }.joined(separator: ", ")
            lines.append("")
            lines.append(terminal.paint("Current HMM regime on \(date(timestamps[last])) (filtered): ", .bold)
                + terminal.paint(hmm.stateRegimes[state].rawValue, color(hmm.stateRegimes[state]))
                + terminal.paint("  state \(state); P(state) \(probabilities)", .dim))
        }
        lines.append("")
        lines.append(section("History by HMM (Viterbi path)", history))
        return lines.joined(separator: "\n")
    }

    func agreementSection(_ a: RegimeAgreement) -> String {
        var lines: [String] = []
        lines.append(terminal.paint("HMM (filtered) against thresholds", .bold) + terminal.paint(
            "  \(count(a.comparedBars)) bars: same regime \(pct(a.agreement)), same volatility (quiet/volatile) "
            + "\(pct(a.volatilityAgreement)), same direction \(pct(a.directionAgreement))", .dim))
        let seenRows = Regime.allCases.filter { r in Regime.allCases.contains { a.count(reference: r, other: $0) > 0 } }
        let seenColumns = Regime.allCases.filter { c in Regime.allCases.contains { a.count(reference: $0, other: c) > 0 } }
        guard !seenRows.isEmpty else { return lines.joined(separator: "\n") }
        var table = TextTable(headers: ["thresholds \\ HMM"] + seenColumns.map(\.rawValue),
                              alignments: [.left] + seenColumns.map { _ in .right })
        for r in seenRows {
            table.rows.append([r.rawValue] + seenColumns.map { String(a.count(reference: r, other: $0)) })
        }
        lines.append(table.render(headerStyle: { terminal.paint($0, .bold) }))
        return lines.joined(separator: "\n")
    }
}
