import Foundation
import TraderApp
import TraderCore
import TraderEngine

/// Renders backtest reports for people: aligned statistics with color on terminals, an optional
/// trade list.
struct ReportRenderer {
    let terminal: Terminal

    func format(_ value: ReportRow.Value) -> String {
        switch value {
        case let .number(d): number(d, digits: 4)
        case let .money(d): number(d, digits: 2, grouped: true)
        case let .percent(d): number(d, digits: 2)
        case let .integer(i): String(i)
        case let .time(t): t.iso8601(dateOnlyAtMidnight: true)
        case let .duration(d): d.map(Self.duration) ?? "--"
        case let .text(s): s
        }
    }

    func number(_ d: Double, digits: Int, grouped: Bool = false) -> String {
        if d.isNaN { return "--" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        let text = String(format: "%.\(digits)f", d)
        guard grouped else { return text }
        let parts = text.split(separator: ".", maxSplits: 1)
        var intPart = String(parts[0])
        let negative = intPart.hasPrefix("-")
        if negative { intPart.removeFirst() }
        var out = ""
        for (i, ch) in intPart.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (negative ? "-" : "") + String(out.reversed()) + (parts.count > 1 ? "." + parts[1] : "")
    }

    static func duration(_ d: Duration64) -> String {
        let days = d.nanos / Timestamp.nanosPerDay
        let rest = d.nanos % Timestamp.nanosPerDay / Timestamp.nanosPerSecond
        if rest == 0 { return "\(days) days" }
        let h = rest / 3600, m = rest / 60 % 60, s = rest % 60
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days) days \(two(h)):\(two(m)):\(two(s))"
    }

    /// `sizing: kelly(...)`, with the entries it declined, for a run with a sizer; nil otherwise.
    func sizingNote(_ result: RunSummary) -> String? {
        guard let sizing = result.sizing else { return nil }
        let skipped = result.skippedEntries
        return terminal.paint("sizing: \(sizing)" + (skipped > 0 ? "; \(skipped) entr\(skipped == 1 ? "y" : "ies") not taken (size 0)" : ""), .dim)
    }

    func statistics(_ result: BacktestResult) -> String {
        statistics(RunSummary(result))
    }

    func statistics(_ result: RunSummary) -> String {
        let rows = BacktestReport.rows(result)
        var table = TextTable(headers: ["", ""], alignments: [.left, .right])
        table.rows = rows.map { [$0.label, format($0.value)] }
        let signed: Set<String> = ["return_pct", "return_ann_pct", "cagr_pct", "alpha_pct", "sharpe_ratio", "sortino_ratio", "avg_trade_pct", "expectancy_pct"]
        let t = terminal
        table.paint = { r, c, text in
            if c == 0 { return t.paint(text, .dim) }
            let row = rows[r]
            guard signed.contains(row.key), case let .percent(v) = row.value, v.isFinite else {
                if signed.contains(row.key), case let .number(v) = row.value, v.isFinite {
                    return t.paint(text, v >= 0 ? .green : .red)
                }
                return text
            }
            return t.paint(text, v >= 0 ? .green : .red)
        }
        return table.render()
    }

    func trades(_ result: BacktestResult) -> String {
        var table = TextTable(
            headers: ["#", "Side", "Size", "Entry", "Entry Price", "Exit", "Exit Price", "PnL", "Return [%]", "Exit Reason"],
            alignments: [.right, .left, .right, .left, .right, .left, .right, .right, .right, .left])
        let all = result.trades + result.openTrades
        for (i, tr) in all.enumerated() {
            table.rows.append([
                String(i + 1), tr.size > 0 ? "long" : "short", number(abs(tr.size), digits: tr.size == tr.size.rounded() ? 0 : 4),
                tr.entryTime.iso8601(dateOnlyAtMidnight: true), number(tr.entryPrice, digits: 2),
                tr.exitTime.iso8601(dateOnlyAtMidnight: true), number(tr.exitPrice, digits: 2),
                number(tr.pnl, digits: 2, grouped: true), number(tr.returnPct * 100, digits: 2), tr.exitReason.rawValue,
            ])
        }
        let t = terminal
        table.paint = { r, c, text in
            guard c == 7 || c == 8 else { return text }
            return t.paint(text, all[r].pnl >= 0 ? .green : .red)
        }
        return table.render(headerStyle: { t.paint($0, .bold) })
    }
}
