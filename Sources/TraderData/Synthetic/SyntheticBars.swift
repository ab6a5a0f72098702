public import TraderCore

/// Deterministic synthetic OHLCV data for tests, demos and benchmarks.
///
/// Prices follow a geometric random walk (each close is the open times `1 + r`, with `r` normal)
/// whose drift and volatility switch between `MarketRegime`s by a seeded Markov chain. Each bar
/// opens at the previous close times a small gap, its high and low reach beyond the open and the
/// close, and its volume rises with the regime's turbulence and the size of the move.
///
/// - The same arguments always give the identical series, on every platform (all randomness comes
///   from `SeededRandom`, all arithmetic is plain IEEE).
/// - Each symbol draws from its own stream (the symbol is mixed into the seed), so symbols
///   generated with one seed are different but reproducible.
/// - Daily bars (`.day1`) follow the equity calendar: Monday to Friday, weekends skipped (a
///   weekend start moves to the next Monday). Every other timeframe is continuous.
/// - Every bar satisfies `Bar.violation == nil`. Prices that stray beyond 10^±4 times the start
///   price get a drift back towards it, so even very long series stay finite and positive.
public enum SyntheticBars {
    /// Where series start by default: Monday, 3 January 2000.
    public static let defaultStart = Timestamp(year: 2000, month: 1, day: 3)

    /// A series of `bars` bars for `symbol`.
    public static func generate(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> BarSeries {
        try run(symbol: symbol, bars: bars, seed: seed, start: start, timeframe: timeframe,
                startPrice: startPrice, recordRegimes: false).series
    }

    /// One series per symbol, each from its own stream of `seed`.
    public static func generate(
        symbols: [String], bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> [BarSeries] {
        var result: [BarSeries] = []
        result.reserveCapacity(symbols.count)
        for symbol in symbols {
            result.append(try generate(symbol: symbol, bars: bars, seed: seed, start: start,
                                       timeframe: timeframe, startPrice: startPrice))
        }
        return result
    }

    /// The same series as `generate(symbol:...)` together with the regime each bar was drawn in.
    public static func generateWithRegimes(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp = defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) -> (series: BarSeries, regimes: [MarketRegime]) {
        try run(symbol: symbol, bars: bars, seed: seed, start: start, timeframe: timeframe,
                startPrice: startPrice, recordRegimes: true)
    }

    /// Per-bar parameters of one regime, scaled to the timeframe.
    private struct Parameters {
        var drift: Double
        var volatility: Double
        var persistence: Double
        var volume: Double
        /// Cumulative exit probabilities over `MarketRegime.allCases`.
        var exits: (Double, Double, Double, Double, Double, Double)

        func next(after u: Double) -> Int {
            // `u` is uniform in [0, 1) given that the regime ends.
            if u < exits.0 { return 0 }
            if u < exits.1 { return 1 }
            if u < exits.2 { return 2 }
            if u < exits.3 { return 3 }
            if u < exits.4 { return 4 }
            return 5
        }
    }

    private static func run(
        symbol: String, bars: Int, seed: UInt64, start: Timestamp, timeframe: Timeframe,
        startPrice: Double, recordRegimes: Bool
    ) throws(DomainError) -> (series: BarSeries, regimes: [MarketRegime]) {
        guard bars >= 0 else { throw .invalid(field: "bars", reason: "must be >= 0, got \(bars)") }
        guard startPrice.isFinite && startPrice > 0 else {
            throw .invalid(field: "startPrice", reason: "must be a positive finite price, got \(startPrice)")
        }
        let daily = timeframe == .day1
        let times = try timestamps(count: bars, start: start, timeframe: timeframe, daily: daily)

        // Share of a trading day one bar covers: drift scales with it, volatility with its root.
        let seconds = Double(timeframe.seconds)
        let dayShare = daily ? 1 : (timeframe.seconds < 86_400 ? seconds / 86_400 : seconds / 86_400 * 5 / 7)
        let volatilityScale = dayShare.squareRoot()
        let baseVolume = 1_000_000 * dayShare
        let parameters: [Parameters] = MarketRegime.allCases.map { regime in
            let weights = regime.exitWeights
            let total = weights.reduce(0, +)
            var cumulative = [Double](repeating: 0, count: 6)
            var sum = 0.0
            for k in 0..<6 { sum += weights[k]; cumulative[k] = sum / total }
            return Parameters(
                drift: regime.dailyDrift * dayShare, volatility: regime.dailyVolatility * volatilityScale,
                persistence: regime.persistence, volume: baseVolume * regime.volumeMultiplier,
                exits: (cumulative[0], cumulative[1], cumulative[2], cumulative[3], cumulative[4], 2))
        }

        var random = SeededRandom(seed: seed, stream: symbol)
        var regime = Int(random.next() % 5)  // any regime but a crisis to begin with
        var regimes: [MarketRegime] = []
        if recordRegimes { regimes.reserveCapacity(bars) }

        let ceiling = startPrice * 1e4, floor = startPrice * 1e-4
        var previousClose = startPrice
        let (opens, highs, lows, closes, volumes) = makeColumns(count: bars) { index in
            let u = random.nextUniform()
            let current = parameters[regime]
            if u >= current.persistence {
                regime = current.next(after: (u - current.persistence) / (1 - current.persistence))
            }
            let p = parameters[regime]
            if recordRegimes { regimes.append(MarketRegime(rawValue: regime)!) }

            var drift = p.drift
            if previousClose > ceiling { drift = -abs(drift) - 0.002 * dayShare }
            if previousClose < floor { drift = abs(drift) + 0.002 * dayShare }
            // Four uniforms from two draws (32 bits each is plenty for gaps and wicks).
            let bits1 = random.next(), bits2 = random.next()
            let scale32 = 0x1p-32
            let u1 = Double(bits1 >> 32) * scale32, u2 = Double(bits1 & 0xFFFF_FFFF) * scale32
            let u3 = Double(bits2 >> 32) * scale32, u4 = Double(bits2 & 0xFFFF_FFFF) * scale32
            // Gap from the previous close: triangular, standard deviation 0.15 σ
            // (√6 · (u1 + u2 − 1) has variance 1).
            let gap = index == 0 ? 0 : 0.15 * p.volatility * 2.449_489_742_783_178 * (u1 + u2 - 1)
            let open = previousClose * (1 + gap)
            let r = clamp(drift + p.volatility * random.nextGaussian(), 0.5)
            let close = open * (1 + r)
            let high = max(open, close) * (1 + 0.6 * p.volatility * u3)
            let low = min(open, close) * (1 - min(0.6 * p.volatility * u4, 0.5))
            // Volume grows with the regime's turbulence and the size of the move; whole units.
            let volumeUniform = random.nextUniform()
            let volume = Double(Int64(p.volume * (1 + 20 * abs(r)) * (0.6 + 0.8 * volumeUniform) + 0.5))
            previousClose = close
            return (open, high, low, close, volume)
        }
        let series = BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: times,
                               open: opens, high: highs, low: lows, close: closes, volume: volumes)
        return (series, regimes)
    }

    /// Five columns of `count` values built row by row in one pass, written straight into the
    /// arrays' storage.
    @inline(__always)
    private static func makeColumns(
        count: Int, _ row: (Int) -> (Double, Double, Double, Double, Double)
    ) -> ([Double], [Double], [Double], [Double], [Double]) {
        var highs: [Double] = [], lows: [Double] = [], closes: [Double] = [], volumes: [Double] = []
        let opens = [Double](unsafeUninitializedCapacity: count) { o, oCount in
            highs = [Double](unsafeUninitializedCapacity: count) { h, hCount in
                lows = [Double](unsafeUninitializedCapacity: count) { l, lCount in
                    closes = [Double](unsafeUninitializedCapacity: count) { c, cCount in
                        volumes = [Double](unsafeUninitializedCapacity: count) { v, vCount in
                            for i in 0..<count {
                                let values = row(i)
                                o.initializeElement(at: i, to: values.0)
                                h.initializeElement(at: i, to: values.1)
                                l.initializeElement(at: i, to: values.2)
                                c.initializeElement(at: i, to: values.3)
                                v.initializeElement(at: i, to: values.4)
                            }
                            vCount = count
                        }
                        cCount = count
                    }
                    lCount = count
                }
                hCount = count
            }
            oCount = count
        }
        return (opens, highs, lows, closes, volumes)
    }

    @inline(__always)
    private static func clamp(_ x: Double, _ limit: Double) -> Double {
        min(max(x, -limit), limit)
    }

    /// Bar times: weekdays at `start`'s time of day for daily bars, else every `timeframe`.
    private static func timestamps(count: Int, start: Timestamp, timeframe: Timeframe, daily: Bool) throws(DomainError) -> [Int64] {
        guard count > 0 else { return [] }
        let step = timeframe.seconds * Timestamp.nanosPerSecond
        var day = start.epochDay
        let timeOfDay = start.nanos - day * Timestamp.nanosPerDay
        var weekday = start.weekday
        if daily && weekday >= 5 {
            day += Int64(7 - weekday)
            weekday = 0
        }
        // The last bar must be representable (Int64 nanoseconds end in April 2262).
        let lastOffset: Int64
        if daily {
            let k = Int64(count - 1) + Int64(weekday)
            let (weeks, overflow) = (k / 5).multipliedReportingOverflow(by: 7)
            let (offset, overflow2) = (weeks + k % 5 - Int64(weekday)).multipliedReportingOverflow(by: Timestamp.nanosPerDay)
            lastOffset = overflow || overflow2 ? .max : offset
        } else {
            let (product, overflow) = Int64(count - 1).multipliedReportingOverflow(by: step)
            lastOffset = overflow ? .max : product
        }
        let first = day * Timestamp.nanosPerDay + timeOfDay
        guard first.addingReportingOverflow(lastOffset).overflow == false else {
            throw .invalid(field: "bars", reason:
                "\(count) bars of \(timeframe) from \(Timestamp(nanos: first)) run past \(Timestamp(nanos: .max)), the last representable time")
        }
        var result = [Int64]()
        result.reserveCapacity(count)
        if daily {
            for _ in 0..<count {
                result.append(day * Timestamp.nanosPerDay + timeOfDay)
                if weekday == 4 {
                    day += 3
                    weekday = 0
                } else {
                    day += 1
                    weekday += 1
                }
            }
        } else {
            var t = first
            for _ in 0..<count {
                result.append(t)
                t &+= step
            }
        }
        return result
    }
}
