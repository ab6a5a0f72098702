import TraderCore
import TraderData
public import TraderEngine

/// Writes the equity curve as CSV (`Date,Equity,DrawdownPct`), atomically: the file appears whole
/// or not at all.
public enum EquityCSV {
    public static func write(_ r: BacktestResult, to path: String) throws(AppError) {
        var text = "Date,Equity,DrawdownPct\n"
        text.reserveCapacity(r.equity.count * 40)
        var peak = -Double.infinity
        for (t, e) in zip(r.timestamps, r.equity) {
            peak = max(peak, e)
            text += Timestamp(nanos: t).iso8601(dateOnlyAtMidnight: true)
            text += ","
            text += String(e)
            text += ","
            text += String(1 - e / peak)
            text += "\n"
        }
        do { try AtomicWrite.write(text, to: path) } catch { throw AppError(error, context: "equity curve") }
    }
}
