import Foundation
import Synchronization
import TraderWorkflows

/// The step-by-step view of a running workflow on standard error.
///
/// On a terminal (`live`) it keeps one line per step and redraws them in place as steps start
/// and end, with a ticking time for running steps; elsewhere (`lines`, a log file or a pipe) it
/// writes one line per change, which reads well in a background run's log.
final class WorkflowProgressView: Sendable {
    enum Mode { case live, lines, off }

    private struct State {
        var records: [String: WorkflowRun.StepRecord] = [:]
        var drawnLines = 0
        var started = ContinuousClock.now
        /// Set by `finish`: the lines below the view are someone else's from then on.
        var finished = false
    }

    private let order: [String]
    private let actions: [String: String]
    private let workflow: String
    private let mode: Mode
    private let terminal: Terminal
    private let state = Mutex(State())
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    init(workflow: WorkflowDefinition, terminal: Terminal, mode: Mode) {
        self.order = workflow.steps.map(\.id)
        self.actions = Dictionary(uniqueKeysWithValues: workflow.steps.map { ($0.id, $0.action) })
        self.workflow = workflow.name
        self.mode = mode
        self.terminal = terminal
    }

    func start() {
        state.withLock { $0.started = .now }
        guard mode == .live else { return }
        redraw()
        let task = Task { [weak self] in
            // A sleep ended by `finish` cancelling the ticker must not draw once more.
            while (try? await Task.sleep(for: .milliseconds(200))) != nil {
                self?.redraw()
            }
        }
        ticker.withLock { $0 = task }
    }

    func update(_ record: WorkflowRun.StepRecord) {
        let elapsed = state.withLock { s -> Duration in
            s.records[record.id] = record
            return .now - s.started
        }
        switch mode {
        case .off: return
        case .live: redraw()
        case .lines:
            var line = "[\(Self.clock(elapsed))] \(workflow): \(record.id) \(record.status.rawValue)"
            if record.attempts > 1 { line += " (attempt \(record.attempts))" }
            if let e = record.error, record.status == .failed { line += ": \(e)" }
            if let r = record.reason, record.status == .skipped { line += ": \(r)" }
            writeStandardError(line + "\n")
        }
    }

    /// Stops the ticker and leaves the final lines on the screen.
    func finish() {
        ticker.withLock { $0?.cancel(); $0 = nil }
        if mode == .live { redraw(final: true) }
    }

    /// Builds and writes the lines under the lock: the ticker and step updates redraw from
    /// different threads, and a first draw written after a second one (which moves the cursor up
    /// by the first's lines) left two copies of the view on a loaded machine.
    ///
    /// After the final draw nothing is drawn: a tick already past its sleep when `finish` ran
    /// would otherwise move the cursor up into what was printed after the view (the summary)
    /// and leave a second copy of the view's lines, as the tmux test saw on loaded machines.
    private func redraw(final: Bool = false) {
        state.withLock { s in
            guard !s.finished else { return }
            if final { s.finished = true }
            var out = s.drawnLines > 0 ? "\u{1B}[\(s.drawnLines)A" : ""
            let columns = Terminal.stderrColumns - 1
            let width = order.map(\.count).max() ?? 4
            let actionWidth = actions.values.map(\.count).max() ?? 4
            for id in order {
                let r = s.records[id]
                let status = r?.status ?? .pending
                var note = ""
                switch status {
                case .running:
                    // The record's start is an offset from the run's start, which is this view's.
                    let t = (ContinuousClock.now - s.started) - (r?.started ?? .zero)
                    note = "running \(Self.clock(t))" + ((r?.attempts ?? 1) > 1 ? " (attempt \(r!.attempts))" : "")
                case .succeeded, .stopped:
                    if let a = r?.started, let b = r?.ended { note = DurationText.format(b - a) }
                case .failed: note = r?.error ?? ""
                case .skipped: note = r?.reason ?? ""
                default: break
                }
                // One screen line each, or the cursor arithmetic of the redraw breaks: cut the
                // plain text to the width, then paint the symbol (its colour codes take no columns).
                let line = "\(id.padding(toLength: width, withPad: " ", startingAt: 0))  "
                    + "\(actions[id]!.padding(toLength: actionWidth, withPad: " ", startingAt: 0))  \(note)"
                out += "\u{1B}[2K  \(symbol(status)) " + String(line.prefix(max(0, columns - 4))) + "\n"
            }
            s.drawnLines = order.count
            writeStandardError(out)
        }
    }

    private func symbol(_ status: WorkflowRun.Status) -> String {
        switch status {
        case .pending: terminal.paintStderr("·", .dim)
        case .running: terminal.paintStderr("▶", .cyan)
        case .succeeded: terminal.paintStderr("✓", .green)
        case .stopped: terminal.paintStderr("■", .green)
        case .failed: terminal.paintStderr("✗", .red)
        case .skipped: terminal.paintStderr("–", .yellow)
        case .cancelled: terminal.paintStderr("⊘", .red)
        }
    }

    static func clock(_ d: Duration) -> String { String(format: "%.1fs", Double(DurationText.milliseconds(d)) / 1000) }
}
