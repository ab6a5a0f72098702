public import TraderCore

/// Decides how much of the account a signal entry commits: the seam between the kernel
/// (TraderEngine) and the sizing rules (fixed fraction, Kelly, confidence-, regime- and
/// volatility-based, in TraderAnalysis, which sits above the engine and so cannot be called by it
/// directly).
///
/// The kernel asks `fraction(for:)` once per signal entry — rare next to bars — through an
/// existential, and calls `observe(_:)` on every bar only when `observesBars` is true (rules that
/// keep an indicator: ATR, a regime model). A kernel without a sizer sizes entries with
/// `ExecutionSettings.positionFraction` and its bar loop contains no sizing code at all.
///
/// Sizers are values: the one handed to a run is a prototype, copied into the kernel, so every run
/// (each optimizer set, each walk-forward window) starts from the same fresh state.
public protocol PositionSizer: Sendable {
    /// Whether the kernel must call `observe(_:)` on every bar. Read once, when the kernel is built.
    var observesBars: Bool { get }

    /// Feeds the bar that the strategy is about to decide on (every bar of the run, warm-up
    /// included, before any entry decided on it is sized). Called only if `observesBars`.
    mutating func observe(_ bar: Bar)

    /// The fraction of available equity to commit to the entry described by `request`.
    ///
    /// The kernel enters with `min(fraction, 1)`; a fraction ≤ 0 (or NaN) means no entry — the
    /// signal's exit, if any, still happens — and is counted in `skippedEntries`.
    mutating func fraction(for request: SizingRequest) -> Double

    /// What the sizer is, for reports: its rule and parameters.
    var summary: SizingSummary { get }
}

extension PositionSizer {
    /// Most rules need nothing from the bars.
    public var observesBars: Bool { false }
    public mutating func observe(_ bar: Bar) {}
}

/// A sizer's rule name and parameters, as reports show them (`{"rule": "kelly", ...}`).
public struct SizingSummary: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The rule, as `backtest --sizing` names it (`fixed`, `kelly`, ...).
    public var rule: String
    /// Every parameter with its value, in a stable order.
    public var parameters: [Parameter]

    /// One named parameter.
    public struct Parameter: Hashable, Sendable, Codable {
        public var name: String
        public var value: Double
        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    public init(rule: String, parameters: [Parameter] = []) {
        self.rule = rule
        self.parameters = parameters
    }

    /// `kelly(multiplier=1, min-trades=20)`.
    public var description: String {
        parameters.isEmpty ? rule : "\(rule)(\(parameters.map { "\($0.name)=\(shortNumber($0.value))" }.joined(separator: ", ")))"
    }
}

/// `20` for integral values, else the shortest round-tripping form.
private func shortNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
}
