import Foundation
import Testing
import TraderCore
import TraderStrategies
@testable import TraderAnalysis

@Suite struct ProfileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    func shipped(_ name: String) -> String { Self.root.appendingPathComponent("config/profiles/\(name).json").path }

    /// The shipped default profile as a mutable JSON tree.
    func defaultDocument() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: shipped("default")))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Sets (or with nil removes) the value at a dotted `path` of `doc`.
    func setting(_ doc: [String: Any], _ path: String, _ value: Any?) -> [String: Any] {
        var keys = path.split(separator: ".").map(String.init)
        let first = keys.removeFirst()
        var copy = doc
        if keys.isEmpty {
            copy[first] = value
        } else {
            copy[first] = setting(doc[first] as? [String: Any] ?? [:], keys.joined(separator: "."), value)
        }
        return copy
    }

    func decode(_ doc: [String: Any], file: String = "config/profiles/aggressive.json") throws -> PortfolioProfile {
        try PortfolioProfile.decode(try JSONSerialization.data(withJSONObject: doc), file: file)
    }

    /// The error's one-line text for `doc`, or nil when it loads.
    func failure(_ doc: [String: Any]) throws -> String? {
        do { _ = try decode(doc); return nil } catch { return "\(error)" }
    }

    @Test func shippedProfilesLoad() throws {
        for name in PortfolioProfile.builtInNames {
            let p = try PortfolioProfile.load(path: shipped(name))
            #expect(p.name == name)
            for tier in CapitalTier.allCases {
                let rules = p.rules(for: tier)
                #expect(rules.strategies.allSatisfy(StrategyCatalog.names.contains))
                #expect(rules.risk.maxPositionPct <= rules.risk.maxExposurePct)
            }
            // Bigger accounts may hold at least as many positions.
            let counts = CapitalTier.allCases.map { p.rules(for: $0).maxPositions }
            #expect(counts == counts.sorted(), "\(name): \(counts)")
        }
        let aggressive = try PortfolioProfile.load(path: shipped("aggressive"))
        #expect(aggressive.accountType == .margin)
        let conservative = try PortfolioProfile.load(path: shipped("conservative"))
        #expect(conservative.hysteresis.minDaysInTier > 0)
    }

    @Test func decodesEveryField() throws {
        var doc = try defaultDocument()
        doc = setting(doc, "tiers.small.max_positions", 4)
        doc = setting(doc, "tiers.small.max_trades_per_week", NSNull())
        doc = setting(doc, "tiers.small.risk.stop_loss_pct", nil)
        doc = setting(doc, "tiers.small.risk.max_daily_loss_pct", 2.5)
        doc = setting(doc, "hysteresis.buffer_pct", 7.5)
        doc = setting(doc, "account_type", "margin")
        doc = setting(doc, "name", nil)
        let p = try decode(doc, file: "/tmp/mine.json")
        #expect(p.name == "mine" && p.accountType == .margin && p.hysteresis.bufferPct == 7.5 && p.hysteresis.minDaysInTier == 0)
        #expect(p.small.maxPositions == 4 && p.small.maxTradesPerWeek == nil && p.small.risk.stopLossPct == nil)
        #expect(p.small.risk.maxDailyLossFraction == 0.025)
        // Without the optional parts: cash account, the standard buffer.
        let bare = try decode(setting(setting(setting(doc, "hysteresis", nil), "account_type", nil), "description", nil))
        #expect(bare.accountType == .cash && bare.hysteresis == .standard)
    }

    @Test func eachValidationErrorNamesFileAndKey() throws {
        let doc = try defaultDocument()
        let file = "config/profiles/aggressive.json"
        let cases: [(String, Any?, String)] = [
            ("tiers.small.max_positions", 0, "tiers.small.max_positions: must be > 0, got 0"),
            ("tiers.small.max_positions", 2.5, "tiers.small.max_positions: must be a whole number, got 2.5"),
            ("tiers.small.max_positions", nil, "tiers.small.max_positions: missing"),
            ("tiers.small.max_positions", "five", "tiers.small.max_positions: expected a number, got a string"),
            ("tiers.medium", nil, "tiers.medium: missing"),
            ("tiers.huge", [String: Any](), "tiers.huge: unknown key; expected one of micro, small, medium, large"),
            ("tiers.micro.strategies", ["momentum", "nope"], "tiers.micro.strategies[1]: unknown strategy 'nope'"),
            ("tiers.micro.strategies", [String](), "tiers.micro.strategies: must name at least one strategy"),
            ("tiers.micro.strategies", ["momentum", "momentum"], "tiers.micro.strategies[1]: 'momentum' is listed twice"),
            ("tiers.micro.strategies", [1], "tiers.micro.strategies[0]: expected a string, got a number"),
            ("tiers.small.max_trades_per_week", 0, "tiers.small.max_trades_per_week: must be > 0 (or null for no limit), got 0"),
            ("tiers.small.max_postions", 3, "tiers.small.max_postions: unknown key"),
            ("tiers.small.risk", nil, "tiers.small.risk: missing"),
            ("tiers.large.risk.max_exposure_pct", 150, "tiers.large.risk.max_exposure_pct: must be in (0, 100]"),
            ("tiers.large.risk.max_position_pct", 99, "tiers.large.risk.max_position_pct: must be <= max_exposure_pct (95), got 99"),
            ("tiers.large.risk.max_position_pct", -1, "tiers.large.risk.max_position_pct: must be in (0, 100], got -1"),
            ("tiers.medium.risk.stop_loss_pct", 0, "tiers.medium.risk.stop_loss_pct: must be in (0, 100), got 0"),
            ("tiers.medium.risk.max_daily_loss_pct", "3", "tiers.medium.risk.max_daily_loss_pct: expected a number, got a string"),
            ("tiers.medium.risk.max_daily_loss_pct", 101, "tiers.medium.risk.max_daily_loss_pct: must be in (0, 100], got 101"),
            ("hysteresis.buffer_pct", 60, "hysteresis.buffer_pct: must be in [0, 50), got 60"),
            ("hysteresis.min_days_in_tier", -1, "hysteresis.min_days_in_tier: must be >= 0, got -1"),
            ("hysteresis.buffer", 5, "hysteresis.buffer: unknown key"),
            ("account_type", "futures", "account_type: must be cash or margin, got 'futures'"),
            ("tiers", nil, "tiers: missing"),
            ("tiers", [1, 2], "tiers: expected an object, got an array"),
        ]
        for (key, value, expected) in cases {
            let message = try #require(try failure(setting(doc, key, value)), "\(key) = \(String(describing: value)) was accepted")
            #expect(message.hasPrefix("\(file): \(expected)"), "\(key): \(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func malformedDocuments() throws {
        #expect(throws: ProfileError.self) { try PortfolioProfile.decode(Data("{\"tiers\": ".utf8), file: "x.json") }
        do {
            _ = try PortfolioProfile.decode(Data("{\"tiers\": ".utf8), file: "x.json")
        } catch {
            #expect(error.description.hasPrefix("x.json: not valid JSON"))
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: ProfileError(file: "x.json", key: "", reason: "expected an object, got an array")) {
            try PortfolioProfile.decode(Data("[]".utf8), file: "x.json")
        }
        #expect(throws: ProfileError(file: "/no/such/file.json", key: "", reason: "cannot read the file (missing or unreadable)")) {
            try PortfolioProfile.load(path: "/no/such/file.json")
        }
    }

    @Test func rulesValidateInCode() throws {
        let risk = try RiskLimits(maxPositionPct: 20, maxExposurePct: 80, stopLossPct: 5)
        #expect(risk.maxPositionFraction == 0.2 && risk.stopLossFraction == 0.05 && risk.maxDailyLossFraction == nil)
        #expect(throws: DomainError.invalid(field: "max_positions", reason: "must be > 0, got 0")) {
            try TierRules(strategies: ["momentum"], maxPositions: 0, maxTradesPerWeek: nil, risk: risk)
        }
        let rules = try TierRules(strategies: ["momentum", "breakout"], maxPositions: 2, maxTradesPerWeek: 3, risk: risk)
        #expect(rules.allows("breakout") && !rules.allows("scalp"))
    }
}
