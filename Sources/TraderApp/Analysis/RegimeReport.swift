public import TraderAnalysis
public import TraderCore

/// The machine-readable regime report (`gpt-trader regime --output json`); percentages carry a
/// `_pct` suffix, dates are ISO, undefined numbers are `null`.
public enum RegimeReport {
    /// The whole analysis: series, thresholds, current regime with its inputs, history of each
    /// method (runs, shares, transitions, changes), the HMM and the agreement.
    public static func json(_ a: RegimeAnalysis) -> JSONValue {
        let s = a.series
        var fields: [(String, JSONValue)] = [
            ("symbol", .string(s.symbol)),
            ("timeframe", .string(s.timeframe.description)),
            ("first", .string(date(s.timestamps[a.range.lowerBound]))),
            ("last", .string(date(s.timestamps[a.range.upperBound - 1]))),
            ("bars", .integer(a.range.count)),
            ("history_bars", .integer(a.range.lowerBound)),
            ("method", .string(a.method.rawValue)),
        ]
        if let readings = a.readings, let history = a.thresholdHistory {
            fields.append(("thresholds", thresholds(a.thresholds)))
            let i = s.count - 1
            fields.append(("current", reading(readings[i], at: s.timestamps[i], thresholds: a.thresholds)))
            fields.append(("history", json(history, timestamps: s.timestamps)))
        }
        if let hmm = a.hmm, let history = a.hmmHistory {
            fields.append(("hmm", json(hmm, history: history, timestamps: s.timestamps)))
        }
        if let agreement = a.agreement { fields.append(("agreement", json(agreement))) }
        return .object(fields)
    }

    static func date(_ nanos: Int64) -> String { Timestamp(nanos: nanos).iso8601(dateOnlyAtMidnight: true) }
    static func percent(_ fraction: Double) -> JSONValue { .number(fraction * 100) }
    static func regime(_ r: Regime?) -> JSONValue { r.map { .string($0.rawValue) } ?? .null }

    static func thresholds(_ t: RegimeThresholds) -> JSONValue {
        .object([
            ("volatility_window", .integer(t.volatilityWindow)), ("trend_window", .integer(t.trendWindow)),
            ("peak_window", .integer(t.peakWindow)), ("periods_per_year", .number(t.periodsPerYear)),
            ("low_volatility_pct", percent(t.lowVolatility)), ("volatile_volatility_pct", percent(t.volatileVolatility)),
            ("crisis_volatility_pct", percent(t.crisisVolatility)), ("sideways_trend_pct", percent(t.sidewaysTrend)),
            ("strong_trend_pct", percent(t.strongTrend)), ("stress_drawdown_pct", percent(t.stressDrawdown)),
        ])
    }

    static func reading(_ r: RegimeReading, at nanos: Int64, thresholds t: RegimeThresholds) -> JSONValue {
        .object([
            ("date", .string(date(nanos))), ("regime", regime(r.regime)),
            ("size_multiplier", r.regime.map { .number($0.sizeMultiplier) } ?? .null),
            ("volatility_pct", percent(r.volatility)),
            ("volatility_level", t.volatilityLevel(r.volatility).map { .string($0.rawValue) } ?? .null),
            ("trend_pct", percent(r.trend)),
            ("trend_level", t.trendLevel(r.trend).map { .string($0.rawValue) } ?? .null),
            ("drawdown_pct", percent(r.drawdown)),
            ("stressed", .bool(r.drawdown >= t.stressDrawdown)),
        ])
    }

    static func json(_ h: RegimeHistory, timestamps: BarColumn<Int64>) -> JSONValue {
        let labels = Regime.allCases.map { JSONValue.string($0.rawValue) }
        return .object([
            ("classified_bars", .integer(h.classifiedBars)),
            ("regimes", .array(Regime.allCases.map { r in
                .object([("regime", .string(r.rawValue)), ("bars", .integer(h.barCount(r))), ("share_pct", percent(h.share(r))),
                         ("runs", .integer(h.runCount(r))), ("average_run_bars", .number(h.averageRunLength(r)))])
            })),
            ("transitions", .object([
                ("labels", .array(labels)),
                ("counts", .array(h.transitions.countRows.map { .array($0.map(JSONValue.integer)) })),
                ("probabilities", .array(h.transitions.probabilityRows.map { .array($0.map(JSONValue.number)) })),
            ])),
            ("runs", .array(h.runs.map { run in
                .object([("regime", .string(run.regime.rawValue)), ("start", .string(run.start.iso8601(dateOnlyAtMidnight: true))),
                         ("end", .string(run.end.iso8601(dateOnlyAtMidnight: true))), ("start_bar", .integer(run.startBar)),
                         ("end_bar", .integer(run.endBar)), ("bars", .integer(run.length))])
            })),
            ("changes", .array(h.changes.map { c in
                .object([("bar", .integer(c.bar)), ("date", .string(c.timestamp.iso8601(dateOnlyAtMidnight: true))),
                         ("from", regime(c.from)), ("to", .string(c.to.rawValue))])
            })),
        ])
    }

    static func json(_ hmm: HMMRegimes, history: RegimeHistory, timestamps: BarColumn<Int64>) -> JSONValue {
        let m = hmm.model
        let fit = hmm.fit
        var counts = [Int](repeating: 0, count: m.stateCount)
        for case let s? in hmm.viterbiStates[history.range] { counts[s] += 1 }
        let total = counts.reduce(0, +)
        let states: [JSONValue] = (0..<m.stateCount).map { j in
            .object([
                ("state", .integer(j)), ("regime", .string(hmm.stateRegimes[j].rawValue)),
                ("mean", .number(m.means[j])), ("variance", .number(m.variances[j])),
                ("annualized_drift_pct", percent(hmm.annualizedDrift(j))),
                ("annualized_volatility_pct", percent(hmm.annualizedVolatility(j))),
                ("expected_duration_bars", .number(m.expectedDuration(j))),
                ("viterbi_share_pct", total == 0 ? .null : percent(Double(counts[j]) / Double(total))),
            ])
        }
        let last = hmm.filtered.count - 1
        let currentState = hmm.filteredStates[last]
        return .object([
            ("states", .integer(m.stateCount)),
            ("iterations", .integer(fit.iterations)), ("converged", .bool(fit.converged)),
            ("log_likelihood", .number(fit.logLikelihood)), ("starts", .integer(fit.startLogLikelihoods.count)),
            ("best_start", .integer(fit.start)),
            ("state_parameters", .array(states)),
            ("transition_matrix", .array(m.transitionRows.map { .array($0.map(JSONValue.number)) })),
            ("current", .object([
                ("date", .string(date(timestamps[last]))),
                ("state", currentState.map(JSONValue.integer) ?? .null),
                ("regime", regime(currentState.map { hmm.stateRegimes[$0] })),
                ("probabilities", .array(hmm.filtered[last].map(JSONValue.number))),
            ])),
            ("history", json(history, timestamps: timestamps)),
        ])
    }

    static func json(_ a: RegimeAgreement) -> JSONValue {
        .object([
            ("compared_bars", .integer(a.comparedBars)),
            ("agreement_pct", percent(a.agreement)),
            ("volatility_agreement_pct", percent(a.volatilityAgreement)),
            ("direction_agreement_pct", percent(a.directionAgreement)),
            ("confusion", .object([
                ("rows", .string("threshold")), ("columns", .string("hmm-filtered")),
                ("labels", .array(Regime.allCases.map { .string($0.rawValue) })),
                ("counts", .array(a.rows.map { .array($0.map(JSONValue.integer)) })),
            ])),
        ])
    }
}
