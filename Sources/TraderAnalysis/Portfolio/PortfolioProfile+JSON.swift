public import Foundation
import TraderCore
import TraderEngine

extension PortfolioProfile {
    /// Reads a profile document (see docs/portfolio.md). `file` is how errors name the document;
    /// the profile's `name` defaults to the file name without its extension.
    ///
    /// Every key is checked: missing required keys, wrong types, unknown keys and values out of
    /// range are refused with the dotted key (`tiers.small.risk.max_position_pct`). Optional keys
    /// (`name`, `description`, `account_type`, `hysteresis`, `max_trades_per_week`,
    /// `stop_loss_pct`, `max_daily_loss_pct`) may be absent or null.
    public static func decode(_ data: Data, file: String) throws(ProfileError) -> PortfolioProfile {
        let root: JSONNode
        do { root = try JSONNode.parse(data) } catch { throw ProfileError(file: file, key: "", reason: "not valid JSON: \(error.detail)") }
        let doc = try ProfileObjectReader(file: file, path: "", node: root)
        try doc.rejectUnknownKeys(["name", "description", "account_type", "hysteresis", "tiers"])

        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = try doc.string("name", required: false) ?? stem
        let summary = try doc.string("description", required: false) ?? ""
        var account = AccountType.cash
        if let text = try doc.string("account_type", required: false) {
            guard let a = AccountType(rawValue: text) else {
                throw doc.error("account_type", "must be cash or margin, got '\(text)'")
            }
            account = a
        }

        var hysteresis = TierHysteresis.standard
        if let h = try doc.object("hysteresis", required: false) {
            try h.rejectUnknownKeys(["buffer_pct", "min_days_in_tier"])
            let buffer = try h.number("buffer_pct", required: false) ?? TierHysteresis.standard.bufferPct
            let days = try h.integer("min_days_in_tier", required: false) ?? 0
            hysteresis = try validated(h) { () throws(DomainError) in try TierHysteresis(bufferPct: buffer, minDaysInTier: days) }
        }

        guard let tiers = try doc.object("tiers") else { throw doc.error("tiers", "missing") }
        try tiers.rejectUnknownKeys(CapitalTier.allCases.map(\.rawValue))
        var rules: [CapitalTier: TierRules] = [:]
        for tier in CapitalTier.allCases {
            guard let t = try tiers.object(tier.rawValue) else { throw tiers.error(tier.rawValue, "missing") }
            rules[tier] = try tierRules(t)
        }
        return PortfolioProfile(name: name, summary: summary, accountType: account, hysteresis: hysteresis,
                                micro: rules[.micro]!, small: rules[.small]!, medium: rules[.medium]!, large: rules[.large]!)
    }

    /// Reads and decodes the profile file at `path` (errors name `path` as given).
    public static func load(path: String) throws(ProfileError) -> PortfolioProfile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProfileError(file: path, key: "", reason: "cannot read the file (missing or unreadable)")
        }
        return try decode(data, file: path)
    }

    private static func tierRules(_ t: ProfileObjectReader) throws(ProfileError) -> TierRules {
        try t.rejectUnknownKeys(["strategies", "max_positions", "max_trades_per_week", "risk"])
        let strategies = try t.strings("strategies")
        let maxPositions = try t.integer("max_positions")!
        let perWeek = try t.integer("max_trades_per_week", required: false)
        guard let r = try t.object("risk") else { throw t.error("risk", "missing") }
        try r.rejectUnknownKeys(["max_position_pct", "max_exposure_pct", "stop_loss_pct", "max_daily_loss_pct"])
        let position = try r.number("max_position_pct")!
        let exposure = try r.number("max_exposure_pct")!
        let stop = try r.number("stop_loss_pct", required: false)
        let daily = try r.number("max_daily_loss_pct", required: false)
        let risk = try validated(r) { () throws(DomainError) in
            try RiskLimits(maxPositionPct: position, maxExposurePct: exposure, stopLossPct: stop, maxDailyLossPct: daily)
        }
        return try validated(t) { () throws(DomainError) in
            try TierRules(strategies: strategies, maxPositions: maxPositions, maxTradesPerWeek: perWeek, risk: risk)
        }
    }

    /// Runs a domain constructor, naming its field under the reader's path on failure.
    private static func validated<T>(_ reader: ProfileObjectReader, _ build: () throws(DomainError) -> T) throws(ProfileError) -> T {
        do {
            return try build()
        } catch {
            switch error { case let .invalid(field, reason): throw reader.error(field, reason) }
        }
    }
}
