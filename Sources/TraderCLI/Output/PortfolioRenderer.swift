import Foundation
import TraderAnalysis
import TraderApp
import TraderCore
import TraderEngine

/// Renders the adaptive portfolio for people: the statistics (as a backtest report), each
/// symbol's contribution, the tier history and skipped entries; and a profile's tier table.
struct PortfolioRenderer {
    let terminal: Terminal
    var renderer: ReportRenderer { ReportRenderer(terminal: terminal) }

    func report(_ r: PortfolioBacktestResult, bars: [BarSeries], includeTrades: Bool) -> String {
        let t = terminal
        var out: [String] = []
        out.append(t.paint("Portfolio", .bold) + "  \(r.symbols.joined(separator: ", "))  ·  profile \(r.profile.name) (\(r.profile.accountType.rawValue) account)  ·  \(r.strategy)")
        out.append(renderer.statistics(PortfolioReport.summary(r)))
        out.append("")
        out.append(contributions(r))
        out.append("")
        out.append(tierHistory(r))
        let skipped = r.skippedCounts
        if !skipped.isEmpty {
            out.append(t.paint("Entries skipped: ", .dim) + skipped.map { "\($0.0.rawValue) \($0.1)" }.joined(separator: ", "))
        }
        let firsts = bars.compactMap(\.first?.timestamp), lasts = bars.compactMap(\.last?.timestamp)
        if let latestStart = firsts.max(), let earliestEnd = lasts.min(), latestStart > earliestEnd {
            out.append(t.paint("note: the symbols' date ranges do not overlap; a symbol without a bar keeps its last price", .yellow))
        }
        if includeTrades {
            out.append("")
            out.append(tradeList(r))
        }
        return out.joined(separator: "\n")
    }

    func contributions(_ r: PortfolioBacktestResult) -> String {
        let capital = r.settings.initialCapital
        var table = TextTable(headers: ["Symbol", "Bars", "P&L [$]", "Contribution [%]", "Realized [$]", "Unrealized [$]", "Commissions [$]", "# Trades", "Open Units"],
                              alignments: [.left] + Array(repeating: .right, count: 8))
        for c in r.contributions {
            table.rows.append([c.symbol, String(c.bars), money(c.pnl), renderer.number(c.pnl / capital * 100, digits: 2), money(c.realizedPnL),
                               money(c.unrealizedPnL), money(c.commissions), String(c.closedTrades), units(c.openUnits)])
        }
        let total = r.contributions.reduce(0) { $0 + $1.pnl }
        table.rows.append(["Total", String(r.barCount), money(total), renderer.number(total / capital * 100, digits: 2),
                           money(r.contributions.reduce(0) { $0 + $1.realizedPnL }), money(r.contributions.reduce(0) { $0 + $1.unrealizedPnL }),
                           money(r.contributions.reduce(0) { $0 + $1.commissions }), String(r.trades.count), ""])
        let t = terminal
        let pnl = r.contributions.map(\.pnl) + [total]
        table.paint = { row, column, text in column == 2 || column == 3 ? t.paint(text, pnl[row] >= 0 ? .green : .red) : text }
        return table.render(headerStyle: { t.paint($0, .bold) })
    }

    func tierHistory(_ r: PortfolioBacktestResult) -> String {
        let t = terminal
        var lines = [t.paint("Tiers", .bold) + "  start \(r.startTier), final \(r.finalTier), \(r.tierChanges.count) change\(r.tierChanges.count == 1 ? "" : "s")"
            + t.paint("  (buffer \(RiskLimitsText.percent(r.profile.hysteresis.bufferPct)) %, at least \(r.profile.hysteresis.minDaysInTier) days in a tier)", .dim)]
        let shown = r.tierChanges.count > 20 ? Array(r.tierChanges.prefix(10)) + Array(r.tierChanges.suffix(10)) : r.tierChanges
        for (i, c) in shown.enumerated() {
            if r.tierChanges.count > 20 && i == 10 { lines.append(t.paint("  … \(r.tierChanges.count - 20) more", .dim)) }
            lines.append("  \(c.time.iso8601(dateOnlyAtMidnight: true))  \(c.from) → \(c.to)  at equity \(money(c.equity))")
        }
        return lines.joined(separator: "\n")
    }

    func tradeList(_ r: PortfolioBacktestResult) -> String {
        var table = TextTable(headers: ["#", "Symbol", "Size", "Entry", "Entry Price", "Exit", "Exit Price", "PnL", "Return [%]", "Exit Reason"],
                              alignments: [.right, .left, .right, .left, .right, .left, .right, .right, .right, .left])
        let all = r.trades + r.openTrades
        for (i, pt) in all.enumerated() {
            let tr = pt.trade
            table.rows.append([String(i + 1), pt.symbol, units(tr.size), tr.entryTime.iso8601(dateOnlyAtMidnight: true),
                               renderer.number(tr.entryPrice, digits: 4), tr.exitTime.iso8601(dateOnlyAtMidnight: true),
                               renderer.number(tr.exitPrice, digits: 4), money(tr.pnl), renderer.number(tr.returnPct * 100, digits: 2),
                               tr.exitReason.rawValue])
        }
        let t = terminal
        table.paint = { row, column, text in column == 7 || column == 8 ? t.paint(text, all[row].trade.pnl >= 0 ? .green : .red) : text }
        return table.render(headerStyle: { t.paint($0, .bold) })
    }

    func tiers(_ p: PortfolioProfile) -> String {
        let t = terminal
        var out = [t.paint("Profile \(p.name)", .bold) + (p.summary.isEmpty ? "" : "  " + p.summary)]
        out.append(t.paint("\(p.accountType.rawValue) account; tier buffer \(RiskLimitsText.percent(p.hysteresis.bufferPct)) %, at least \(p.hysteresis.minDaysInTier) days in a tier", .dim))
        var table = TextTable(headers: ["Tier", "Equity", "Strategies", "Max Pos.", "Trades/Week", "Max Position [%]", "Max Exposure [%]",
                                        "Stop Loss [%]", "Max Daily Loss [%]", "PDT Rule"],
                              alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .right, .left])
        for tier in CapitalTier.allCases {
            let r = p.rules(for: tier)
            let pdt = p.accountType == .margin && tier.lowerBound < PatternDayTradeRule.equityThreshold
            table.rows.append([tier.rawValue, tier.rangeDescription, r.strategies.joined(separator: ", "), String(r.maxPositions),
                               r.maxTradesPerWeek.map(String.init) ?? "no limit", RiskLimitsText.percent(r.risk.maxPositionPct),
                               RiskLimitsText.percent(r.risk.maxExposurePct), r.risk.stopLossPct.map(RiskLimitsText.percent) ?? "none",
                               r.risk.maxDailyLossPct.map(RiskLimitsText.percent) ?? "none", pdt ? "yes" : "no"])
        }
        out.append(table.render(headerStyle: { t.paint($0, .bold) }))
        out.append(t.paint(p.accountType == .margin
            ? "Pattern-day-trader rule: below 25,000 of equity, at most 3 day trades in 5 rolling business days (entries are refused before a 4th)."
            : "Pattern-day-trader rule: not enforced (cash account; pass --account margin to enforce it).", .dim))
        return out.joined(separator: "\n")
    }

    func money(_ v: Double) -> String { renderer.number(v, digits: 2, grouped: true) }
    func units(_ v: Double) -> String { renderer.number(v, digits: v == v.rounded() ? 0 : 4) }
}

/// Percent values as typed in profiles: `25`, `7.5`.
enum RiskLimitsText {
    static func percent(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
