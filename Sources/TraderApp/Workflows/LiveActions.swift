import Foundation
import TraderCore
import TraderEngine
import TraderLive
import TraderStore
import TraderWorkflows

/// `broker.check`, `paper.run` and `paper.reconcile`: the steps of bot_v2's paper-trading and
/// risk-managed live-trading workflows (pre-market checks, the trading loop under risk checks,
/// post-market reconciliation).
enum LiveActions {
    static func register(into registry: inout ActionRegistry, _ env: WorkflowEnvironment) {
        /// Whether the broker can trade: the paper broker always can; a venue's needs its API
        /// keys in the environment, and its adapter (not built yet), so the step fails with why.
        registry.register("broker.check") { context in
            let broker = try context.string("broker") ?? "paper"
            switch broker {
            case "paper":
                return ["broker": .string("paper"), "ready": .bool(true)]
            case "alpaca", "coinbase":
                // The venue answers and takes the keys: its account's state and cash.
                let account: VenueAccount
                do {
                    account = try await VenueClients.check(BrokerChoice(rawValue: broker)!, url: try context.string("url"),
                                                           live: try context.string("mode") == "live")
                } catch let e as AppError {
                    throw AppError.usage("step '\(context.step)': \(e.message)")
                } catch {
                    throw AppError.runtime("step '\(context.step)': \(broker) broker: \(error)")
                }
                return ["broker": .string(broker), "ready": .bool(account.status.uppercased() == "ACTIVE"), "status": .string(account.status),
                        "cash": .number(account.cash)]
            default:
                throw context.error("broker", "must be paper, alpaca or coinbase, got '\(broker)'")
            }
        }

        /// A paper session over the step's bars (replayed at `speed`, default max) with the
        /// backtest step's strategy and settings, bot_v2's paper risk limits unless `risk: none`.
        /// A bot of the run history when there is one (`bot`, default workflow-SYMBOL-STRATEGY).
        registry.register("paper.run") { context in
            let bars = try await env.bars(context)
            var settings = try BacktestActions.settings(context, bars: bars)
            if try context.string("risk") != "none" { settings.risk = .paperTradingDefaults }
            let spec = try BacktestActions.spec(context)
            let speedText = try context.string("speed") ?? "max"
            guard let speed = ReplaySpeed(speedText) else { throw context.error("speed", "must be max or a positive decimal number, got '\(speedText)'") }
            let bot = try context.string("bot") ?? "workflow-\(bars.symbol)-\(spec.name)"
            if let why = BotName.violation(bot) { throw context.error("bot", why) }
            let brokerText = try context.string("broker") ?? "paper"
            guard let broker = BrokerChoice(rawValue: brokerText) else { throw context.error("broker", "must be paper, alpaca or coinbase, got '\(brokerText)'") }
            let request = PaperRequest(backtest: BacktestRequest(source: try env.dataRequest(context).source, strategy: spec, settings: settings,
                                                                 sizing: try BacktestActions.sizing(context)),
                                       feed: .replay, speed: speed, bot: bot, broker: broker, brokerURL: try context.string("url"),
                                       live: try context.string("mode") == "live")
            let tracking = env.history.map { PaperService.Tracking(store: $0.store, arguments: [], resume: false) }
            let outcome = try await PaperService(data: env.data).run(request, bars: bars, tracking: tracking)
            var out = WorkflowEnvironment.describe(bars)
            out.merge(BacktestActions.metrics(outcome.result)) { $1 }
            out["bot"] = .string(bot)
            out["ended"] = .string(outcome.ending.rawValue)
            out["fills"] = .integer(outcome.result.fills)
            out["open_position"] = .number(outcome.result.openTrades.reduce(0) { $0 + $1.size })
            out["tracked"] = .bool(tracking != nil)
            return out
        }

        /// Post-market reconciliation: the bot's books in the store (fills, positions) against
        /// what its session reported; every difference is listed, and `matched` says whether
        /// there was none.
        registry.register("paper.reconcile") { context in
            guard let history = env.history else {
                return ["matched": .bool(true), "checked": .bool(false), "differences": .array([])]
            }
            let bot = try context.requiredString("bot")
            let store = history.store
            guard let record = try await store.bot(id: bot) else { throw context.error("bot", "no bot '\(bot)' in the run history") }
            var differences: [String] = []
            // This session's orders and fills: the paper broker's ids carry the session.
            let records = try await store.sessionRecords(botID: bot, session: record.startedAt)
            let orders = records.orders, fills = records.fills.count
            if let expected = try context.integer("fills"), expected != fills { differences.append("fills: the session made \(expected), the store has \(fills)") }
            let held = try await store.positions(botID: bot).reduce(0) { $0 + $1.quantity }
            if let expected = try context.number("open_position"), abs(expected - held) > 1e-9 {
                differences.append("position: the session holds \(expected), the store \(held)")
            }
            let working = orders.filter { !$0.isTerminal }.count
            if record.status == .running { differences.append("status: the bot is still recorded as running") }
            return ["bot": .string(bot), "checked": .bool(true), "matched": .bool(differences.isEmpty), "stored_fills": .integer(fills),
                    "stored_position": .number(held), "working_orders": .integer(working),
                    "differences": .array(differences.map(JSONValue.string))]
        }
    }
}
