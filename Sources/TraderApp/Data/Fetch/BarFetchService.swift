import Foundation
import Synchronization
public import TraderCore
public import TraderData
public import TraderLive

/// `data fetch`: downloads symbols' historical bars from a venue's REST API into the bar store.
///
/// For each symbol it asks only for what the store lacks (before its first bar, after its last),
/// pages through the venue's endpoint, and keeps every page in a partial file before asking for
/// the next (`FetchStaging`), so an interrupted download resumes after the last page received.
/// Then it merges the new bars with the stored ones, each time once, and replaces the store's
/// file atomically. Several symbols download at once, sharing one pooled client and the venue's
/// rate limit; a symbol that fails is reported and the others go on.
public struct BarFetchService: Sendable {
    public let store: BarStore

    public init(store: BarStore) { self.store = store }

    /// Runs `request`. `progress` gets (periods covered, periods to cover) over all symbols.
    public func fetch(_ request: BarFetchRequest, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> BarFetchReport {
        try request.validate()
        switch request.source {
        case .alpaca:
            let env = ProcessInfo.processInfo.environment
            let key = env["APCA_API_KEY_ID"] ?? "", secret = env["APCA_API_SECRET_KEY"] ?? ""
            guard !key.isEmpty, !secret.isEmpty else {
                throw AppError.usage("--source alpaca needs Alpaca's API keys in the environment, and APCA_API_KEY_ID or APCA_API_SECRET_KEY is not set")
            }
            let rate = limiter(request, default: AlpacaHistoricalBars.rate)
            return try await run(request, client: AlpacaHistoricalBars(baseURL: request.url ?? AlpacaHistoricalBars.url, key: key, secret: secret, rate: rate),
                                 progress: progress)
        case .coinbase:
            let rate = limiter(request, default: CoinbaseHistoricalBars.rate)
            return try await run(request, client: CoinbaseHistoricalBars(baseURL: request.url ?? CoinbaseHistoricalBars.url, rate: rate),
                                 progress: progress)
        }
    }

    /// `--rate` when given (a second's worth of burst), else the venue's documented limit.
    func limiter(_ request: BarFetchRequest, default venue: (perSecond: Double, burst: Int)) -> RequestRateLimiter {
        request.rate.map { RequestRateLimiter(perSecond: $0, burst: max(1, Int($0))) } ?? RequestRateLimiter(perSecond: venue.perSecond, burst: venue.burst)
    }

    /// Runs `request` against `client` (shut down before returning).
    public func run<C: HistoricalBarsClient>(_ request: BarFetchRequest, client: C,
                                             progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> BarFetchReport {
        let results = try await client.using { client in
            if let why = client.unsupported(request.timeframe) { throw AppError.usage("--timeframe: \(why)") }
            let plans = try request.symbols.map { symbol throws(AppError) in try plan(symbol, request) }
            let counter = Progress(total: plans.reduce(0) { $0 + $1.periods }, report: progress)
            return try await withThrowingTaskGroup(of: (Int, SymbolFetchReport).self) { group in
                var out = [SymbolFetchReport?](repeating: nil, count: plans.count)
                var next = 0
                func start(_ i: Int) {
                    group.addTask { (i, try await self.download(plans[i], request, client: client, progress: counter)) }
                }
                while next < min(request.jobs, plans.count) { start(next); next += 1 }
                while let (i, report) = try await group.next() {
                    out[i] = report
                    if next < plans.count { start(next); next += 1 }
                }
                return out.map { $0! }
            }
        }
        let stats = client.statistics
        return BarFetchReport(source: request.source, timeframe: request.timeframe, start: request.start, end: request.end,
                              symbols: results, requests: stats.requests, retries: stats.retries)
    }

    /// One symbol's download: what is stored, what is missing, what an earlier run received.
    struct Plan: Sendable {
        var symbol: String
        var name: String
        var stored: BarStoreFile?
        var missing: [ClosedRange<Timestamp>]
        var staging: FetchStaging
        var periods: Int
    }

    func plan(_ symbol: String, _ request: BarFetchRequest) throws(AppError) -> Plan {
        let name = BarFetchRequest.storedName(symbol)
        let stored = try BarStoreService.mapping { () throws(DataError) in try store.open(symbol: name, timeframe: request.timeframe) }
        let step = request.timeframe.seconds * Timestamp.nanosPerSecond
        var missing: [ClosedRange<Timestamp>] = []
        if let stored, stored.count > 0 {
            if request.start < stored.first {
                missing.append(request.start...Timestamp(nanos: min(request.end.nanos, stored.first.nanos - step)))
            }
            if request.end > stored.last {
                missing.append(Timestamp(nanos: max(request.start.nanos, stored.last.nanos + step))...request.end)
            }
        } else {
            missing = [request.start...request.end]
        }
        missing.removeAll { $0.lowerBound > $0.upperBound }
        let periods = missing.reduce(0) { $0 + Int(($1.upperBound.nanos - $1.lowerBound.nanos) / step) + 1 }
        return Plan(symbol: symbol, name: name, stored: stored, missing: missing,
                    staging: FetchStaging(directory: store.directory, name: name, timeframe: request.timeframe, source: request.source.rawValue),
                    periods: periods)
    }

    func download<C: HistoricalBarsClient>(_ plan: Plan, _ request: BarFetchRequest, client: C, progress: Progress) async throws -> SymbolFetchReport {
        var report = SymbolFetchReport(symbol: plan.symbol, stored: plan.name)
        guard !plan.missing.isEmpty else {
            report.upToDate = true
            report.entry = plan.stored.map { BarStoreEntry(header: $0.header, path: $0.path) }
            return report
        }
        let step = request.timeframe.seconds * Timestamp.nanosPerSecond
        do {
            let earlier = try plan.staging.read()
            report.resumed = earlier.count
            for range in plan.missing {
                // Resume after the last bar an earlier run received in this range.
                let received = earlier.lazy.map(\.timestamp).filter { range.contains($0) }.max()
                let from = received.map { Timestamp(nanos: $0.nanos + step) } ?? range.lowerBound
                progress.advance(from.nanos > range.lowerBound.nanos ? Int((from.nanos - range.lowerBound.nanos) / step) : 0)
                guard from <= range.upperBound else { continue }
                var reached = from
                try await client.fetch(symbol: plan.symbol, timeframe: request.timeframe, from: from, through: range.upperBound) { page in
                    try plan.staging.append(page.bars.filter { range.contains($0.timestamp) }.sorted { $0.timestamp < $1.timestamp })
                    let through = min(page.through, range.upperBound)
                    if through > reached {
                        progress.advance(Int((through.nanos - reached.nanos) / step))
                        reached = through
                    }
                }
            }
            try merge(plan, request, into: &report)
        } catch let error as AppError {
            report.error = error.message
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            report.error = "\(error)"
        }
        return report
    }

    /// Merges what was received with the stored bars and replaces the store's file.
    func merge(_ plan: Plan, _ request: BarFetchRequest, into report: inout SymbolFetchReport) throws(AppError) {
        var received = try plan.staging.read()
        // Sorted by time, later arrivals after earlier ones at one time: the last copy wins.
        received = received.enumerated().sorted { ($0.element.timestamp, $0.offset) < ($1.element.timestamp, $1.offset) }.map(\.element)
        var fresh: [Bar] = []
        fresh.reserveCapacity(received.count)
        for bar in received {
            if let last = fresh.last, last.timestamp == bar.timestamp {
                fresh[fresh.count - 1] = bar
                report.duplicates += 1
            } else {
                fresh.append(bar)
            }
        }
        let stored = try plan.stored.map { file throws(AppError) in try BarStoreService.mapping { () throws(DataError) in try file.load() } }
        var t: [Int64] = [], o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
        let total = fresh.count + (stored?.count ?? 0)
        t.reserveCapacity(total)
        o.reserveCapacity(total)
        h.reserveCapacity(total)
        l.reserveCapacity(total)
        c.reserveCapacity(total)
        v.reserveCapacity(total)
        func add(_ b: Bar) {
            t.append(b.timestamp.nanos); o.append(b.open); h.append(b.high); l.append(b.low); c.append(b.close); v.append(b.volume)
        }
        // Both sorted: merge, the stored bar kept where both have one time.
        var i = 0, j = 0
        let n = stored?.count ?? 0
        while i < n || j < fresh.count {
            if j == fresh.count || (i < n && stored!.timestamps[i] <= fresh[j].timestamp.nanos) {
                if j < fresh.count, stored!.timestamps[i] == fresh[j].timestamp.nanos { j += 1 }
                add(stored![i]); i += 1
            } else {
                add(fresh[j]); j += 1; report.added += 1
            }
        }
        report.resumed = min(report.resumed, report.added)
        countGaps(t, request, into: &report)
        guard !t.isEmpty else {
            plan.staging.remove()
            throw .runtime("\(request.source.rawValue) has no \(request.timeframe) bars of \(plan.symbol) from \(request.start) through \(request.end)")
        }
        if report.added > 0 {
            let series = BarSeries(unchecked: plan.name, timeframe: request.timeframe, timestamps: t, open: o, high: h, low: l, close: c, volume: v)
            report.entry = try BarStoreService.mapping { () throws(DataError) in try store.write(series) }
        } else {
            report.entry = plan.stored.map { BarStoreEntry(header: $0.header, path: $0.path) }
        }
        plan.staging.remove()
    }

    /// Spans of at least one whole period without a bar, within the range asked for. Bars
    /// an hour off their grid (daily stock bars stamped at local midnight across a change of
    /// daylight saving time) are no gap.
    func countGaps(_ t: [Int64], _ request: BarFetchRequest, into report: inout SymbolFetchReport) {
        let step = request.timeframe.seconds * Timestamp.nanosPerSecond
        var gaps: [(from: Timestamp, to: Timestamp, length: Int64)] = []
        for k in t.indices.dropFirst() where t[k] - t[k - 1] >= 2 * step && t[k - 1] >= request.start.nanos && t[k] <= request.end.nanos {
            gaps.append((Timestamp(nanos: t[k - 1] + step), Timestamp(nanos: t[k] - step), t[k] - t[k - 1]))
        }
        report.gaps = gaps.count
        report.longestGaps = gaps.sorted { $0.length > $1.length }.prefix(3).map { ($0.from, $0.to) }
    }

    /// Periods covered so far over all symbols, reported as they grow.
    final class Progress: Sendable {
        let total: Int
        let report: (@Sendable (Int, Int) -> Void)?
        let done = Atomic<Int>(0)

        init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
            self.total = total
            self.report = report
        }

        func advance(_ periods: Int) {
            guard periods > 0 else { return }
            let now = done.add(periods, ordering: .relaxed).newValue
            report?(min(now, total), total)
        }
    }
}
