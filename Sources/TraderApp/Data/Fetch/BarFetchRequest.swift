public import TraderCore
public import TraderData

/// Where `data fetch` downloads bars from.
public enum HistorySource: String, Sendable, CaseIterable {
    /// Alpaca's market-data API (`data.alpaca.markets`): stocks, and crypto pairs written `BTC/USD`.
    case alpaca
    /// Coinbase Advanced Trade's public candles: products written `BTC-USD`.
    case coinbase
}

/// What `data fetch` downloads: symbols' bars at one timeframe over a range of time, into the
/// bar store.
public struct BarFetchRequest: Sendable {
    public var symbols: [String]
    public var source: HistorySource
    public var timeframe: Timeframe
    /// The first and last times wanted (both included).
    public var start: Timestamp
    public var end: Timestamp
    /// The venue's REST address (default: its own).
    public var url: String?
    /// Symbols downloaded at once (they share the venue's rate limit).
    public var jobs: Int
    /// Requests a second, when not the venue's documented limit.
    public var rate: Double?

    public init(symbols: [String], source: HistorySource, timeframe: Timeframe, start: Timestamp, end: Timestamp,
                url: String? = nil, jobs: Int = 4, rate: Double? = nil) {
        self.symbols = symbols
        self.source = source
        self.timeframe = timeframe
        self.start = start
        self.end = end
        self.url = url
        self.jobs = jobs
        self.rate = rate
    }

    /// The name a venue symbol is stored under: uppercased, `/` (Alpaca's crypto pairs) as `-`.
    public static func storedName(_ symbol: String) -> String {
        BarStore.normalize(symbol).replacingOccurrences(of: "/", with: "-")
    }

    func validate() throws(AppError) {
        guard !symbols.isEmpty else { throw .usage("data fetch needs at least one symbol") }
        guard start <= end else { throw .usage("--start \(start) is after --end \(end)") }
        guard jobs >= 1 else { throw .usage("--jobs must be at least 1, got \(jobs)") }
        if let rate, !(rate > 0 && rate.isFinite) { throw .usage("--rate must be a positive number of requests a second, got \(rate)") }
        if let url, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw .usage("--url must be an http:// or https:// address, got '\(url)'")
        }
        for s in symbols {
            let name = Self.storedName(s)
            if name.isEmpty || name.contains(" ") || name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                throw .usage("symbol '\(DisplayText.quote(s))' cannot be stored (empty, a space or a control character)")
            }
        }
    }
}

/// What `data fetch` did for one symbol.
public struct SymbolFetchReport: Sendable {
    public var symbol: String
    /// The name the bars are stored under.
    public var stored: String
    /// New bars written into the store by this run (including those an interrupted run had received).
    public var added = 0
    /// Of `added`, bars an earlier, interrupted run had received (the download resumed after them).
    public var resumed = 0
    /// Bars the venue sent more than once (kept once).
    public var duplicates = 0
    /// Spans of more than one period with no bar, within the range asked for (markets closed,
    /// or bars the venue does not have): how many, and the longest ones.
    public var gaps = 0
    public var longestGaps: [(from: Timestamp, to: Timestamp)] = []
    /// The store's file after the run (nil when nothing is stored).
    public var entry: BarStoreEntry?
    /// The store already held the whole range: nothing was asked of the venue.
    public var upToDate = false
    /// Why this symbol failed (the others go on); rerunning resumes it.
    public var error: String?
}

/// What `data fetch` did.
public struct BarFetchReport: Sendable {
    public var source: HistorySource
    public var timeframe: Timeframe
    public var start: Timestamp
    public var end: Timestamp
    public var symbols: [SymbolFetchReport]
    /// Requests sent to the venue (each try counts) and retries among them.
    public var requests = 0
    public var retries = 0

    public var failed: [SymbolFetchReport] { symbols.filter { $0.error != nil } }
}
