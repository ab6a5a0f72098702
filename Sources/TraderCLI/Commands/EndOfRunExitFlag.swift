import ArgumentParser
import TraderEngine

/// The end-of-run exits as flags, each named after the price it closes at: `--close-at-last-close`
/// (also `--close-at-end`, its name from before there were two) and `--close-at-last-open`
/// (backtesting.py's `finalize_trades=True`). Giving both is refused by the parser.
enum EndOfRunExitFlag: String, EnumerableFlag {
    case closeAtLastClose
    case closeAtLastOpen

    static func name(for value: Self) -> NameSpecification {
        switch value {
        case .closeAtLastClose: [.customLong("close-at-last-close"), .customLong("close-at-end")]
        case .closeAtLastOpen: [.customLong("close-at-last-open")]
        }
    }

    static func help(for value: Self) -> ArgumentHelp? {
        switch value {
        case .closeAtLastClose:
            "Close positions still open at the end at the last bar's close, so they count as trades."
        case .closeAtLastOpen:
            "Close positions still open at the end at the last bar's open, in one more pass over it (backtesting.py's finalize_trades=True; needs --fill next-open)."
        }
    }

    /// The engine's setting for this flag.
    var exit: EndOfRunExit {
        switch self {
        case .closeAtLastClose: .atLastClose
        case .closeAtLastOpen: .atLastOpen
        }
    }
}
