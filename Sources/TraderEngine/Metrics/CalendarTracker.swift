import TraderCore

/// Finds where calendar periods end in a stream of bar timestamps: the last bar of each day
/// (UTC), week (ending Sunday), month and year, plus what annualization needs (the bar spacing
/// and the share of weekend bars). Bars can come all at once or chunk by chunk.
///
/// backtesting.py resamples equity to days for intraday and daily bars and to weeks, months or
/// years for coarser bars; which one applies depends on the spacing of the *last* bars, known
/// only at the end of a stream. So all four are tracked (weeks, months and years cost a key only
/// when a new day starts, and their lists are short), and `finish` picks one.
struct CalendarTracker {
    enum Period: Int, CaseIterable { case day, week, month, year }

    /// Bar indices (global) of the last bar of each period, by `Period.rawValue`.
    private(set) var ends: [[Int]] = [[], [], [], []]
    private(set) var bars = 0
    private var weekendBars = 0
    private var dayEnd = Int64.min
    private var dayStartBar = 0
    private var isWeekend = false
    private var keys = SIMD3<Int64>(repeating: .min)  // week, month, year
    /// The last 100 timestamps (the window of `MetricsCalculator.dataPeriod`).
    private var tail: [Int64] = []

    init() {}

    /// Adds bars with timestamps `t`, the first at global index `offset` (= bars added so far).
    mutating func add(timestamps t: UnsafeBufferPointer<Int64>) {
        let offset = bars
        for j in 0..<t.count where t[j] >= dayEnd {
            // A new calendar day starts at bar `offset + j`; the bar before ended the old one.
            let i = offset + j
            if isWeekend { weekendBars += i - dayStartBar }
            dayStartBar = i
            let stamp = Timestamp(nanos: t[j])
            let day = stamp.epochDay
            dayEnd = (day + 1) * Timestamp.nanosPerDay
            isWeekend = stamp.weekday >= 5
            let civil = Timestamp.civilFromDays(day)
            let newKeys = SIMD3<Int64>(Timestamp.week(ofEpochDay: day), Int64(civil.year * 12 + civil.month), Int64(civil.year))
            if i > 0 {
                ends[Period.day.rawValue].append(i - 1)
                for k in 0..<3 where newKeys[k] != keys[k] { ends[k + 1].append(i - 1) }
            }
            keys = newKeys
        }
        bars += t.count
        tail.append(contentsOf: t.suffix(100))
        if tail.count > 100 { tail.removeFirst(tail.count - 100) }
    }

    /// What the statistics take from the calendar, once all bars are in.
    struct Summary {
        var period: Duration64
        var annualPeriods: Double
        /// Which period's ends give the periodic returns.
        var returnsPeriod: Period
    }

    /// Closes the last period of each kind at the last bar and picks the resampling.
    mutating func finish() -> Summary {
        guard bars > 0 else { return Summary(period: Duration64(nanos: Timestamp.nanosPerDay), annualPeriods: 252, returnsPeriod: .day) }
        if isWeekend { weekendBars += bars - dayStartBar }
        isWeekend = false
        for k in ends.indices { ends[k].append(bars - 1) }
        let period = MetricsCalculator.dataPeriod(tail)
        switch period.nanos / Timestamp.nanosPerDay {
        case 7: return Summary(period: period, annualPeriods: 52, returnsPeriod: .week)
        case 31: return Summary(period: period, annualPeriods: 12, returnsPeriod: .month)
        case 365: return Summary(period: period, annualPeriods: 1, returnsPeriod: .year)
        default:
            let weekends = BarSeries.isWeekendTrading(weekendBars: weekendBars, totalBars: bars)
            return Summary(period: period, annualPeriods: weekends ? 365 : 252, returnsPeriod: .day)
        }
    }
}
