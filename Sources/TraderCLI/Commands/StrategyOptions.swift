import Foundation
import ArgumentParser
import TraderApp
import TraderCore
import TraderStrategies

/// Strategy selection and parameters shared by every command that runs a strategy.
///
/// Parameters can be given as their own options (`--fast 10`) or as `--param fast=10`; options
/// that the chosen strategy does not take are refused with its list of parameters.
struct StrategyOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Strategy to run (see `gpt-trader strategies`).", valueName: "name"),
            completion: .list(StrategyCatalog.names + ["auto"]))
    var strategy: String = ActiveConfiguration.string("backtest.strategy")

    @Option(parsing: .unconditional, help: "sma-crossover: fast moving-average period.", transform: NumberArgument.whole) var fast: Int?
    @Option(parsing: .unconditional, help: "sma-crossover: slow moving-average period.", transform: NumberArgument.whole) var slow: Int?
    @Option(parsing: .unconditional, help: "momentum, breakout: lookback in bars.", transform: NumberArgument.whole) var lookback: Int?
    @Option(parsing: .unconditional, help: "momentum, volatility, ensemble: signal threshold.", transform: NumberArgument.real) var threshold: Double?
    @Option(parsing: .unconditional, help: "mean-reversion, volatility: indicator period.", transform: NumberArgument.whole) var period: Int?
    @Option(parsing: .unconditional, help: "mean-reversion: Bollinger band width in standard deviations.", transform: NumberArgument.real) var std: Double?
    @Option(parsing: .unconditional, help: "scalp: move that triggers, in basis points.", transform: NumberArgument.real) var bps: Double?
    @Option(help: ArgumentHelp("ensemble: member strategies, comma-separated.", valueName: "a,b,c"),
            completion: .list(StrategyCatalog.names)) var members: String?
    @Option(help: ArgumentHelp("ensemble: member weights, comma-separated.", valueName: "w1,w2,w3")) var weights: String?
    @Option(name: .customLong("param"), help: ArgumentHelp("Any strategy parameter as name=value (repeatable).", valueName: "name=value"))
    var params: [String] = []

    /// One `--param name=value`: the name and the value, a decimal number.
    static func parameter(_ text: String) throws -> (String, Double) {
        let parts = text.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, !parts[0].isEmpty else { throw ValidationError("--param '\(DisplayText.quote(text))' must look like name=value") }
        guard let value = DecimalText.parse(parts[1]) else {
            throw ValidationError("--param \(DisplayText.quote(parts[0])): '\(DisplayText.quote(parts[1]))' is not \(DecimalText.expectation)")
        }
        return (parts[0], value)
    }

    /// The validated strategy specification.
    func spec() throws -> StrategySpec {
        var overrides: [String: Double] = [:]
        let named: [(String, Double?)] = [
            ("fast", fast.map(Double.init)), ("slow", slow.map(Double.init)), ("lookback", lookback.map(Double.init)),
            ("threshold", threshold), ("period", period.map(Double.init)), ("std", std), ("bps", bps),
        ]
        for case let (name, value?) in named { overrides[name] = value }
        for p in params {
            let (name, value) = try Self.parameter(p)
            overrides[name] = value
        }
        var memberList: [(name: String, weight: Double)]?
        if members != nil || weights != nil {
            guard strategy == "ensemble" else { throw ValidationError("--members and --weights apply to the ensemble strategy only") }
            let names = (members ?? StrategyCatalog.defaultEnsemble.map(\.name).joined(separator: ","))
                .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            var ws: [Double]
            if let weights {
                ws = []
                for w in weights.split(separator: ",") {
                    guard let v = DecimalText.parse(w.trimmingCharacters(in: .whitespaces)) else {
                        throw ValidationError("--weights: '\(DisplayText.quote(w))' is not \(DecimalText.expectation)")
                    }
                    ws.append(v)
                }
            } else {
                ws = Array(repeating: 1, count: names.count)
            }
            guard ws.count == names.count else {
                throw ValidationError("--weights has \(ws.count) values for \(names.count) members")
            }
            memberList = zip(names, ws).map { ($0, $1) }
        }
        do {
            return try StrategySpec(name: strategy, overrides: overrides, members: memberList)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

