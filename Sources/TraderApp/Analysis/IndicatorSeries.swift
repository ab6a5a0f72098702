import Foundation
public import TraderCache
public import TraderCore

/// An indicator computed over every bar of a series: one or more named output columns, NaN during
/// the warm-up (as pandas would show it). What `gpt-trader analyze --series` exports and what a
/// chart asks the API for; computed once per data version and indicator, then cached.
public struct IndicatorSeries: Sendable, Equatable {
    /// The indicator as asked for, normalized: `sma:20`, `macd:12:26:9`.
    public var spec: String
    public var timestamps: [Int64]
    public var outputs: [Output]

    public struct Output: Sendable, Equatable {
        public var name: String
        public var values: [Double]
    }

    /// One parameter of an indicator: its default and valid values.
    public struct Parameter: Sendable {
        public var name: String
        public var defaultValue: Double
        public var bounds: Bounds
        /// Whether it counts bars (and must fit the data).
        public var isWindow: Bool { bounds.unit == "bars" }

        static func window(_ name: String, _ value: Double) -> Parameter { Parameter(name: name, defaultValue: value, bounds: .window()) }
    }

    /// The indicators and their parameters (with defaults), as `name:p1:p2`.
    public static let catalog: [(name: String, parameters: [Parameter])] = [
        ("sma", [.window("period", 20)]), ("ema", [.window("period", 20)]), ("rsi", [.window("period", 14)]),
        ("atr", [.window("period", 14)]),
        ("bollinger", [.window("period", 20), Parameter(name: "deviations", defaultValue: 2, bounds: .closed(0.01, 10))]),
        ("macd", [.window("fast", 12), .window("slow", 26), .window("signal", 9)]),
        ("obv", []), ("stochastic", [.window("period", 14), .window("smoothing", 3)]),
    ]

    /// Default parameter values of a catalog entry.
    public static func defaults(of name: String) -> [Double] {
        catalog.first { $0.name == name }?.parameters.map(\.defaultValue) ?? []
    }

    /// Computes `spec` (`rsi`, `sma:50`, `bollinger:20:2.5` …) over `bars`; an unknown name or a
    /// bad parameter is a usage error naming it.
    public static func compute(_ spec: String, over bars: BarSeries) throws(AppError) -> IndicatorSeries {
        let (name, p) = try parse(spec)
        let n = bars.count
        // Windows longer than the data are refused before the indicator allocates one.
        for (k, parameter) in (catalog.first { $0.name == name }?.parameters ?? []).enumerated() where parameter.isWindow && Int(p[k]) > n {
            throw .usage("--series \(DisplayText.quote(spec)): \(parameter.name) \(format(p[k])) is longer than the data (\(n) bars)")
        }
        func column(_ body: (Int) -> Double) -> [Double] { (0..<n).map(body) }
        var outputs: [Output] = []
        do {
            switch name {
            case "sma":
                var i = try SMA(period: Int(p[0]))
                outputs = [Output(name: "sma", values: column { i.update(bars.close[$0]) })]
            case "ema":
                var i = try EMA(period: Int(p[0]))
                outputs = [Output(name: "ema", values: column { i.update(bars.close[$0]) })]
            case "rsi":
                var i = try RSI(period: Int(p[0]))
                outputs = [Output(name: "rsi", values: column { i.update(bars.close[$0]) })]
            case "atr":
                var i = try ATR(period: Int(p[0]))
                outputs = [Output(name: "atr", values: column { i.update(high: bars.high[$0], low: bars.low[$0], close: bars.close[$0]) })]
            case "bollinger":
                var i = try BollingerBands(period: Int(p[0]), multiplier: p[1])
                var upper = [Double](), lower = [Double]()
                let middle = column { k in
                    let m = i.update(bars.close[k])
                    upper.append(i.upper)
                    lower.append(i.lower)
                    return m
                }
                outputs = [Output(name: "middle", values: middle), Output(name: "upper", values: upper), Output(name: "lower", values: lower)]
            case "macd":
                var i = try MACD(fast: Int(p[0]), slow: Int(p[1]), signal: Int(p[2]))
                var signal = [Double](), histogram = [Double]()
                let macd = column { k in
                    let v = i.update(bars.close[k])
                    signal.append(i.signal)
                    histogram.append(i.histogram)
                    return v
                }
                outputs = [Output(name: "macd", values: macd), Output(name: "signal", values: signal), Output(name: "histogram", values: histogram)]
            case "obv":
                var i = OBV()
                outputs = [Output(name: "obv", values: column { i.update(close: bars.close[$0], volume: bars.volume[$0]) })]
            default:  // stochastic
                var i = try Stochastic(period: Int(p[0]), smoothD: Int(p[1]))
                var d = [Double]()
                let k = column { j in
                    i.update(high: bars.high[j], low: bars.low[j], close: bars.close[j])
                    d.append(i.d)
                    return i.k
                }
                outputs = [Output(name: "k", values: k), Output(name: "d", values: d)]
            }
        } catch {
            throw .usage("--series \(spec): \(error.description)")
        }
        return IndicatorSeries(spec: ([name] + p.map(format)).joined(separator: ":"), timestamps: bars.timestamps.array, outputs: outputs)
    }

    /// `spec` with defaults filled in (`sma` → `sma:20`): the same indicator always has one name.
    public static func normalized(_ spec: String) throws(AppError) -> String {
        let (name, p) = try parse(spec)
        return ([name] + p.map(format)).joined(separator: ":")
    }

    /// `name` and its parameters with defaults filled in.
    static func parse(_ spec: String) throws(AppError) -> (String, [Double]) {
        let fields = spec.lowercased().split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let shown = DisplayText.quote(spec)
        guard let entry = catalog.first(where: { $0.name == fields[0] }) else {
            throw .usage("--series: unknown indicator '\(DisplayText.quote(fields[0]))'; known: \(catalog.map(\.name).joined(separator: ", "))")
        }
        guard fields.count - 1 <= entry.parameters.count else {
            throw .usage("--series \(shown): \(entry.name) takes at most \(entry.parameters.count) parameter(s)")
        }
        var p = entry.parameters.map(\.defaultValue)
        for (i, text) in fields.dropFirst().enumerated() {
            let parameter = entry.parameters[i]
            guard let v = DecimalText.parse(text) else {
                throw .usage("--series \(shown): \(parameter.name) '\(DisplayText.quote(text))' is not \(DecimalText.expectation)")
            }
            if let reason = parameter.bounds.violation(v) { throw .usage("--series \(shown): \(parameter.name) \(reason)") }
            p[i] = v
        }
        return (entry.name, p)
    }

    /// A parameter as written back (`20`, `2.5`); values are within their bounds here.
    static func format(_ x: Double) -> String { Bounds.format(x) }
}

extension CacheCodec where Value == IndicatorSeries {
    /// Spec, timestamps and output columns, framed; NaN survives (bit patterns).
    public static var indicatorSeries: CacheCodec<IndicatorSeries> {
        CacheCodec(
            encode: { s in
                var w = ByteWriter(capacity: 64 + s.timestamps.count * 8 * (1 + s.outputs.count))
                w.write(UInt8(1))
                w.write(s.spec)
                w.write(column: s.timestamps)
                w.write(UInt32(s.outputs.count))
                for o in s.outputs { w.write(o.name); w.write(column: o.values) }
                return CacheFrame.wrap(w.bytes)
            },
            decode: { bytes in
                guard let payload = CacheFrame.unwrap(bytes) else { return nil }
                var r = ByteReader(payload)
                guard r.read(UInt8.self) == 1, let spec = r.readString(), let timestamps = r.readColumn(Int64.self),
                      let count = r.read(UInt32.self), count <= 16 else { return nil }
                var outputs: [IndicatorSeries.Output] = []
                for _ in 0..<count {
                    guard let name = r.readString(), let values = r.readColumn(Double.self), values.count == timestamps.count else { return nil }
                    outputs.append(.init(name: name, values: values))
                }
                return r.isAtEnd ? IndicatorSeries(spec: spec, timestamps: timestamps, outputs: outputs) : nil
            },
            cost: { 64 + $0.timestamps.count * 8 * (1 + $0.outputs.count) })
    }
}
