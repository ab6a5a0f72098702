import TraderApp
import TraderCore
import TraderEngine
import TraderStrategies
import TraderWorkflows
@testable import TraderCLI

extension FuzzTarget {
    /// The parsers of command-line values. The first byte picks one; the rest is the text as the
    /// shell would pass it (argv is decoded with invalid UTF-8 repaired, as here).
    static let cli = FuzzTarget(name: "cli", summary: "--param ranges, --constraint, durations, timeframes, dates, --series, strategy --param") { data in
        guard let selector = data.first else { return }
        let text = String(decoding: data.dropFirst(), as: UTF8.self)
        switch selector % 7 {
        case 0:
            if let range = try? ParameterRange(parsing: text) {
                Check.require(!range.values.isEmpty && range.values.count <= 1_000_000 && range.values.allSatisfy(\.isFinite),
                              "ParameterRange accepted \(range.values.count) values")
            }
        case 1:
            if let constraint = try? ParameterConstraint(parsing: text) {
                _ = constraint.isSatisfied(by: ["fast": 10, "slow": 30])
            }
        case 2:
            if let duration = DurationText.parse(text) {
                Check.require(duration >= .zero, "a negative duration from '\(text)'")
                _ = DurationText.format(duration)
                _ = DurationText.milliseconds(duration)
            }
        case 3:
            if let timeframe = try? Timeframe(parsing: text) {
                Check.require(timeframe.seconds > 0, "timeframe of \(timeframe.seconds) seconds")
                _ = timeframe.description
            }
        case 4:
            if let date = DateInput.parse(text) { _ = date.description }
        case 5:
            if let normalized = try? IndicatorSeries.normalized(text) {
                Check.require((try? IndicatorSeries.normalized(normalized)) == normalized, "--series \(text) normalizes to \(normalized), which does not normalize to itself")
            }
        default:
            // `--strategy NAME --param a=b --param c=d`, lines of the text: the strategy name first.
            let lines = text.split(separator: "\n", maxSplits: 8, omittingEmptySubsequences: false).map(String.init)
            var arguments = ["--strategy", lines[0]]
            for line in lines.dropFirst() { arguments += ["--param", line] }
            guard let options = try? StrategyOptions.parse(arguments), let spec = try? options.spec() else { return }
            _ = spec.description
            _ = try? spec.makeStrategy()
        }
    }
}
