public import TraderCore

/// The synthetic bar stream of `SyntheticBars` with its state kept between calls, so a series of
/// any length can be produced in chunks: `next(n)` continues exactly where the previous call
/// stopped, and the concatenated chunks are bit for bit the series `SyntheticBars.generate` makes
/// in one call with the same arguments (it is this generator, asked once).
///
/// This is what lets `gpt-trader data generate` write 100 million bars into the store with
/// memory for one chunk. The model is described on `SyntheticBars`.
public struct SyntheticBarGenerator: Sendable {
    /// The symbol of every chunk (and the label of its random stream).
    public let symbol: String
    /// The bar spacing.
    public let timeframe: Timeframe
    /// Bars produced so far.
    public private(set) var generated = 0

    private let parameters: [RegimeParameters]
    private let dayShare: Double
    private let ceiling: Double
    private let floor: Double
    private var random: SeededRandom
    private var regime: Int
    private var previousClose: Double
    private var clock: Clock

    /// A generator positioned before the first bar of `symbol`'s stream under `seed`.
    public init(
        symbol: String, seed: UInt64, start: Timestamp = SyntheticBars.defaultStart,
        timeframe: Timeframe = .day1, startPrice: Double = 100
    ) throws(DomainError) {
        guard startPrice.isFinite && startPrice > 0 else {
            throw .invalid(field: "startPrice", reason: "must be a positive finite price, got \(startPrice)")
        }
        self.symbol = symbol
        self.timeframe = timeframe
        let daily = timeframe == .day1
        // Share of a trading day one bar covers: drift scales with it, volatility with its root.
        let seconds = Double(timeframe.seconds)
        let dayShare = daily ? 1 : (timeframe.seconds < 86_400 ? seconds / 86_400 : seconds / 86_400 * 5 / 7)
        let volatilityScale = dayShare.squareRoot()
        let baseVolume = 1_000_000 * dayShare
        self.dayShare = dayShare
        parameters = MarketRegime.allCases.map { regime in
            let weights = regime.exitWeights
            let total = weights.reduce(0, +)
            var cumulative = [Double](repeating: 0, count: 6)
            var sum = 0.0
            for k in 0..<6 { sum += weights[k]; cumulative[k] = sum / total }
            return RegimeParameters(
                drift: regime.dailyDrift * dayShare, volatility: regime.dailyVolatility * volatilityScale,
                persistence: regime.persistence, volume: baseVolume * regime.volumeMultiplier,
                exits: (cumulative[0], cumulative[1], cumulative[2], cumulative[3], cumulative[4], 2))
        }
        ceiling = startPrice * 1e4
        floor = startPrice * 1e-4
        previousClose = startPrice
        random = SeededRandom(seed: seed, stream: symbol)
        regime = Int(random.next() % 5)  // any regime but a crisis to begin with
        clock = Clock(start: start, timeframe: timeframe, daily: daily)
    }

    /// The next `count` bars of the stream. Throws (and stays where it was) when `count` is
    /// negative or the bars would run past the last representable time (April 2262).
    public mutating func next(_ count: Int) throws(DomainError) -> BarSeries {
        try next(count, recordRegimes: false).series
    }

    /// Throws the error `next(count)` would throw for bars that run past April 2262, without
    /// generating anything (so a long streaming run can fail before it starts).
    public func validate(bars count: Int) throws(DomainError) {
        try SyntheticBars.streamedBounds.check(count, field: "bars")
        _ = try clock.firstTime(ofNext: count)
    }

    /// The next `count` bars with the regime each was drawn in (when `recordRegimes`).
    mutating func next(_ count: Int, recordRegimes: Bool) throws(DomainError) -> (series: BarSeries, regimes: [MarketRegime]) {
        guard count >= 0 else { throw .invalid(field: "bars", reason: "must be >= 0, got \(count)") }
        let times = try clock.next(count)

        var random = self.random, regime = self.regime, previousClose = self.previousClose
        let parameters = self.parameters, dayShare = self.dayShare
        let ceiling = self.ceiling, floor = self.floor, base = generated
        var regimes: [MarketRegime] = []
        if recordRegimes { regimes.reserveCapacity(count) }

        let (opens, highs, lows, closes, volumes) = Self.makeColumns(count: count) { index in
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
            // (√6 · (u1 + u2 − 1) has variance 1). The very first bar opens at the start price.
            let gap = base + index == 0 ? 0 : 0.15 * p.volatility * 2.449_489_742_783_178 * (u1 + u2 - 1)
            let open = previousClose * (1 + gap)
            let r = Self.clamp(drift + p.volatility * random.nextGaussian(), 0.5)
            let close = open * (1 + r)
            let high = max(open, close) * (1 + 0.6 * p.volatility * u3)
            let low = min(open, close) * (1 - min(0.6 * p.volatility * u4, 0.5))
            // Volume grows with the regime's turbulence and the size of the move; whole units.
            let volumeUniform = random.nextUniform()
            let volume = Double(Int64(p.volume * (1 + 20 * abs(r)) * (0.6 + 0.8 * volumeUniform) + 0.5))
            previousClose = close
            return (open, high, low, close, volume)
        }
        self.random = random
        self.regime = regime
        self.previousClose = previousClose
        generated += count
        let series = BarSeries(unchecked: symbol, timeframe: timeframe, timestamps: times,
                               open: opens, high: highs, low: lows, close: closes, volume: volumes)
        return (series, regimes)
    }

    /// Per-bar parameters of one regime, scaled to the timeframe.
    private struct RegimeParameters: Sendable {
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

    /// Bar times: weekdays at the start's time of day for daily bars, else every `timeframe`.
    private struct Clock: Sendable {
        let daily: Bool
        let timeframe: Timeframe
        let step: Int64
        let timeOfDay: Int64
        /// Daily bars: the day and weekday (0 = Monday) of the next bar.
        var day: Int64
        var weekday: Int
        /// Intraday bars: the time of the next bar.
        var time: Int64

        init(start: Timestamp, timeframe: Timeframe, daily: Bool) {
            self.daily = daily
            self.timeframe = timeframe
            step = timeframe.seconds * Timestamp.nanosPerSecond
            day = start.epochDay
            timeOfDay = start.nanos - day * Timestamp.nanosPerDay
            weekday = start.weekday
            if daily && weekday >= 5 {  // a weekend start moves to Monday
                day += Int64(7 - weekday)
                weekday = 0
            }
            time = start.nanos
        }

        /// The next `count` bar times; throws, unchanged, when the last would not be
        /// representable (Int64 nanoseconds end in April 2262).
        mutating func next(_ count: Int) throws(DomainError) -> [Int64] {
            guard count > 0 else { return [] }
            let first = try firstTime(ofNext: count)
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
                time = t
            }
            return result
        }

        /// The time of the next bar, after checking that `count` bars from it stay representable
        /// (Int64 nanoseconds end in April 2262).
        func firstTime(ofNext count: Int) throws(DomainError) -> Int64 {
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
            let first = daily ? day * Timestamp.nanosPerDay + timeOfDay : time
            guard first.addingReportingOverflow(lastOffset).overflow == false else {
                throw .invalid(field: "bars", reason:
                    "\(count) bars of \(timeframe) from \(Timestamp(nanos: first)) run past \(Timestamp(nanos: .max)), the last representable time")
            }
            return first
        }
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
}
