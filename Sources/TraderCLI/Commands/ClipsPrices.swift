import TraderApp

/// A command with `--clip-prices`: `CLI.execute` runs it with `MarketDataLocator.clipsPrices`
/// set to the flag, so every CSV file it loads (directly, in a batch's tasks, through a service)
/// follows it, and the next command in the shell starts without it.
protocol ClipsPrices {
    var clipPrices: Bool { get }
}

extension BacktestCommand: ClipsPrices { var clipPrices: Bool { market.clipPrices } }
extension OptimizeCommand: ClipsPrices { var clipPrices: Bool { market.clipPrices } }
extension AnalyzeCommand: ClipsPrices { var clipPrices: Bool { market.clipPrices } }
extension RegimeCommand: ClipsPrices { var clipPrices: Bool { market.clipPrices } }
extension SelectCommand: ClipsPrices { var clipPrices: Bool { market.clipPrices } }
extension PortfolioRunCommand: ClipsPrices {}
