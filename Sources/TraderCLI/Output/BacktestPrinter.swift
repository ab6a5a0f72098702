import Foundation
import TraderApp
import TraderEngine

/// Prints one backtest's report as table, JSON or nothing: shared by `backtest` and `runs show`,
/// so a stored run reads exactly as it did when it ran.
struct BacktestPrinter {
    let terminal: Terminal
    let output: OutputFormat
    let includeTrades: Bool

    /// `runID` (the saved run's id) goes into the JSON document and, for a table, into a line on
    /// standard error, so standard output stays the report alone.
    func print(_ result: BacktestResult, parameters: [String: Double], runID: UUID?) {
        switch output {
        case .quiet:
            break
        case .json:
            let params = parameters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            var doc = BacktestReport.json(result, parameters: params, includeTrades: includeTrades)
            if let runID, case let .object(fields) = doc { doc = .object([("run_id", .string(runID.uuidString.lowercased()))] + fields) }
            Swift.print(doc.serialized())
        case .table:
            let renderer = ReportRenderer(terminal: terminal)
            Swift.print(renderer.statistics(result))
            if let note = renderer.sizingNote(RunSummary(result)) { Swift.print(note) }
            if includeTrades {
                Swift.print("")
                Swift.print(renderer.trades(result))
            }
            if result.ranOutOfMoney { Swift.print(terminal.paint("equity reached zero; the run stopped early", .yellow)) }
        }
    }

    /// The "saved as" line, on standard error (tables only; JSON carries `run_id`).
    func announce(saved id: UUID) {
        guard output == .table else { return }
        let short = String(id.uuidString.lowercased().prefix(8))
        writeStandardError(terminal.paintStderr("saved as run \(short) (gpt-trader runs show \(short))", .dim) + "\n")
    }
}
