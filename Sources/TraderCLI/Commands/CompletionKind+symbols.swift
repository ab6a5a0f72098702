import ArgumentParser
import TraderApp

extension CompletionKind {
    /// The symbols the data locator finds (bar store and CSV folders), asked when completing:
    /// the bash, zsh and fish scripts and the interactive shell all get them from here.
    static var symbols: CompletionKind {
        .custom { _, _, _ in MarketDataLocator().availableSymbols() }
    }
}
