public import TraderEngine
/// A complete set of adaptive-portfolio rules: the rules of each capital tier, the hysteresis
/// between tiers and the account type. Shipped as `config/profiles/{conservative,default,
/// aggressive}.json`; users may write their own (see docs/portfolio.md for the format).
///
/// Built either in code (every part validates itself) or from a profile file with
/// `PortfolioProfile.decode(_:file:)`, whose errors name the file and the key.
public struct PortfolioProfile: Hashable, Sendable {
    public let name: String
    public let summary: String
    public let accountType: AccountType
    public let hysteresis: TierHysteresis
    public let micro: TierRules
    public let small: TierRules
    public let medium: TierRules
    public let large: TierRules

    public init(name: String, summary: String = "", accountType: AccountType = .cash, hysteresis: TierHysteresis = .standard,
                micro: TierRules, small: TierRules, medium: TierRules, large: TierRules) {
        self.name = name
        self.summary = summary
        self.accountType = accountType
        self.hysteresis = hysteresis
        self.micro = micro
        self.small = small
        self.medium = medium
        self.large = large
    }

    /// The rules of `tier`.
    public func rules(for tier: CapitalTier) -> TierRules {
        switch tier {
        case .micro: micro
        case .small: small
        case .medium: medium
        case .large: large
        }
    }

    /// The same profile with another account type (the CLI's `--account` override).
    public func with(accountType: AccountType) -> PortfolioProfile {
        PortfolioProfile(name: name, summary: summary, accountType: accountType, hysteresis: hysteresis,
                         micro: micro, small: small, medium: medium, large: large)
    }

    /// Names of the profiles shipped in `config/profiles`.
    public static let builtInNames = ["conservative", "default", "aggressive"]
}
