import ArgumentParser
import TraderAnalysis

/// `--sizing RULE` and the settings of the rules and limits. Without `--sizing`, entries take
/// `--size` of equity each time (the kernel's built-in sizing, no sizer involved).
///
/// Every setting is optional here so that one given for another rule (or without `--sizing`) can
/// be refused by name rather than silently ignored; the defaults live in `SizingConfiguration`.
struct SizingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Position sizing: fixed, kelly, fractional-kelly, confidence, regime or volatility (default: --size of equity per entry).",
                               valueName: "rule"))
    var sizing: String?
    @Option(name: .customLong("kelly-fraction"), parsing: .unconditional, help: "fractional-kelly: share of the Kelly fraction taken (default 0.25).", transform: NumberArgument.real)
    var kellyFraction: Double?
    @Option(name: .customLong("kelly-min-trades"), parsing: .unconditional, help: "kelly, fractional-kelly: closed trades before the formula applies; --size until then (default 20).", transform: NumberArgument.whole)
    var kellyMinTrades: Int?
    @Option(name: .customLong("kelly-floor"), parsing: .unconditional, help: "kelly, fractional-kelly: fraction when the formula gives ≤ 0 (default 0: no position).", transform: NumberArgument.real)
    var kellyFloor: Double?
    @Option(name: .customLong("risk-target"), parsing: .unconditional, help: "volatility: loss from a one-ATR move, as a fraction of equity (default 0.01).", transform: NumberArgument.real)
    var riskTarget: Double?
    @Option(name: .customLong("atr-period"), parsing: .unconditional, help: "volatility: ATR period in bars (default 14).", transform: NumberArgument.whole)
    var atrPeriod: Int?
    @Option(name: .customLong("max-position"), parsing: .unconditional, help: "With --sizing: largest fraction of equity one position may take (default 1).", transform: NumberArgument.real)
    var maxPosition: Double?
    @Option(name: .customLong("max-exposure"), parsing: .unconditional, help: "With --sizing: largest fraction of equity all positions together may take (default 1).", transform: NumberArgument.real)
    var maxExposure: Double?

    /// The settings given, by option name (without `--`).
    private var given: [String] {
        let all: [(String, Bool)] = [
            ("kelly-fraction", kellyFraction != nil), ("kelly-min-trades", kellyMinTrades != nil), ("kelly-floor", kellyFloor != nil),
            ("risk-target", riskTarget != nil), ("atr-period", atrPeriod != nil), ("max-position", maxPosition != nil),
            ("max-exposure", maxExposure != nil),
        ]
        return all.filter(\.1).map(\.0)
    }

    /// The validated sizing, nil without `--sizing`. `size` is `--size`, the rules' base fraction.
    /// Errors are one line naming the option.
    func configuration(size: Double?) throws -> SizingConfiguration? {
        guard let sizing else {
            if let first = given.first { throw ValidationError("--\(first) applies only with --sizing") }
            return nil
        }
        guard let rule = SizingConfiguration.Rule(rawValue: sizing) else {
            let names = SizingConfiguration.Rule.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--sizing must be one of \(names); got '\(sizing)'")
        }
        let applicable = rule.settings + ["max-position", "max-exposure"]
        for option in given + (size != nil ? ["size"] : []) where !applicable.contains(option) {
            throw ValidationError("--\(option) does not apply to --sizing \(rule.rawValue) (it takes "
                + applicable.map { "--\($0)" }.joined(separator: ", ") + ")")
        }
        var c = SizingConfiguration(rule: rule)
        if let size { c.baseFraction = size }
        if let kellyFraction { c.kellyFraction = kellyFraction }
        if let kellyMinTrades { c.minimumTrades = kellyMinTrades }
        if let kellyFloor { c.kellyFloor = kellyFloor }
        if let riskTarget { c.riskTarget = riskTarget }
        if let atrPeriod { c.atrPeriod = atrPeriod }
        if let maxPosition { c.maxPosition = maxPosition }
        if let maxExposure { c.maxExposure = maxExposure }
        do { try c.validate() } catch { throw ValidationError("--\(error.field): \(error.reason)") }
        return c
    }
}
