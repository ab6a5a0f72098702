import Testing
import TraderAnalysis
import TraderCore
import TraderData

/// The snapshot must be exactly what TraderCore's indicators give over the same bars: it wires
/// them, it never recomputes them.
@Suite struct IndicatorSnapshotTests {
    static let series = try! SyntheticBars.generate(symbol: "SNAP", bars: 600, seed: 7, timeframe: .day1)

    /// Runs each indicator over bars 0...k on its own.
    func reference(_ k: Int) throws -> [String: Double] {
        let s = Self.series
        var sma20 = try SMA(period: 20), sma50 = try SMA(period: 50), sma200 = try SMA(period: 200)
        var ema12 = try EMA(period: 12), ema26 = try EMA(period: 26), rsi = try RSI(period: 14)
        var macd = try MACD(fast: 12, slow: 26, signal: 9), bands = try BollingerBands(period: 20, multiplier: 2)
        var atr = try ATR(period: 14), obv = OBV(), stochastic = try Stochastic(period: 14, smoothD: 3)
        var obvValues: [Double] = []
        for i in 0...k {
            let c = s.close[i]
            sma20.update(c); sma50.update(c); sma200.update(c); ema12.update(c); ema26.update(c); rsi.update(c)
            macd.update(c); bands.update(c); atr.update(s[i]); obv.update(s[i]); stochastic.update(s[i])
            obvValues.append(obv.value)
        }
        // OBV slope over the last 20 bars by the closed form of the least-squares slope.
        let ys = Array(obvValues.suffix(20))
        let xs = (0..<20).map(Double.init)
        let mx = xs.reduce(0, +) / 20, my = ys.reduce(0, +) / 20
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let meanVolume = s.volume[(k - 19)...k].reduce(0, +) / 20
        return [
            "sma20": sma20.value, "sma50": sma50.value, "sma200": sma200.value, "ema12": ema12.value, "ema26": ema26.value,
            "rsi14": rsi.value, "macd": macd.value, "signal": macd.signal, "histogram": macd.histogram,
            "upper": bands.upper, "middle": bands.middle, "lower": bands.lower, "percentB": bands.percentB,
            "bandwidth": bands.bandwidth, "atr": atr.value, "atrPct": atr.value / c(k) * 100, "obv": obv.value,
            "obvSlope": slope, "obvSlopeNormalized": slope / meanVolume, "k": stochastic.k, "d": stochastic.d,
        ]
    }

    func c(_ k: Int) -> Double { Self.series.close[k] }

    @Test(arguments: [250, 421, 599])
    func valuesEqualTheCoreIndicators(k: Int) throws {
        let snap = try IndicatorSnapshot(series: Self.series, through: k)
        let r = try reference(k)
        let values: [String: Double] = [
            "sma20": snap.sma20, "sma50": snap.sma50, "sma200": snap.sma200, "ema12": snap.ema12, "ema26": snap.ema26,
            "rsi14": snap.rsi14, "macd": snap.macdLine, "signal": snap.macdSignal, "histogram": snap.macdHistogram,
            "upper": snap.bollingerUpper, "middle": snap.bollingerMiddle, "lower": snap.bollingerLower,
            "percentB": snap.bollingerPercentB, "bandwidth": snap.bollingerBandwidth, "atr": snap.atr14,
            "atrPct": snap.atrPercent, "obv": snap.obv, "obvSlope": snap.obvSlope, "obvSlopeNormalized": snap.obvSlopeNormalized,
            "k": snap.stochasticK, "d": snap.stochasticD,
        ]
        for (name, expected) in r {
            let got = try #require(values[name])
            #expect(!got.isNaN, "\(name) is NaN at bar \(k)")
            // Indicators are bit-identical; the slope is the same formula in another order.
            let tolerance = name.hasPrefix("obvSlope") ? 1e-9 * max(1, abs(expected)) : 0
            #expect(abs(got - expected) <= tolerance, "\(name): \(got) vs \(expected)")
        }
        #expect(snap.close == c(k) && snap.index == k && snap.timestamp.nanos == Self.series.timestamps[k])
    }

    @Test func warmUpValuesAreNaNAndReadUnavailable() throws {
        // At bar 100 SMA(200) has not seen 200 closes.
        let snap = try IndicatorSnapshot(series: Self.series, through: 100)
        #expect(snap.sma200.isNaN && !snap.sma50.isNaN)
        let reading = try #require(snap.readings().first { $0.name == "sma200" })
        #expect(reading.reading == .unavailable)
    }

    @Test func readingsFollowTheThresholds() throws {
        // A steady climb: every close above every average, RSI 100 (no down closes), OBV rising by
        // the bar's volume each bar.
        let series = try Path.bars([(0, 100), (300, 250)])
        let snap = try IndicatorSnapshot(series: series, through: 300)
        let readings = Dictionary(uniqueKeysWithValues: snap.readings().map { ($0.name, $0.reading) })
        #expect(snap.rsi14 == 100)
        #expect(readings["rsi14"] == .overbought)
        #expect(readings["sma20"] == .bullish && readings["sma50"] == .bullish && readings["sma200"] == .bullish)
        #expect(readings["ema12-ema26"] == .bullish)
        #expect(close(snap.obvSlopeNormalized, 1, 1e-12) && readings["obv-slope"] == .rising)
        // Close 0.5 a bar up, range ± 0.2: %K = (c − (c − 6.5 − 0.2)) / (c + 0.2 − (c − 6.5 − 0.2)) = 6.7 / 6.9.
        #expect(close(snap.stochasticK, 100 * 6.7 / 6.9, 1e-9) && readings["stochastic-k"] == .overbought)
        var t = ReadingThresholds()
        t.rsiOverbought = 100.5
        t.rsiOversold = 0
        #expect(snap.readings(t).first { $0.name == "rsi14" }?.reading == .neutral)
    }

    @Test func anAsOfOutsideTheSeriesNamesTheField() {
        #expect(throws: DomainError.self) { try IndicatorSnapshot(series: Self.series, through: 600) }
        #expect(throws: DomainError.invalid(field: "as-of", reason: "bar -1 is outside the series (0..<600)")) {
            try IndicatorSnapshot(series: Self.series, through: -1)
        }
    }
}
