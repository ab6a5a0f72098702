/// The workflows that ship with the program (bot_v2's), as YAML in the same format as users'
/// workflow files, so `gpt-trader workflow show NAME` prints something a user can copy and edit.
/// The paper-trading and risk-managed live workflows run the live runtime through the
/// `broker.check`, `paper.run` and `paper.reconcile` actions (`LiveActions`).
enum BuiltinWorkflows {
    static let all: [(name: String, yaml: String)] = [
        ("simple-backtest", simpleBacktest), ("quick-test", quickTest), ("ml-driven", mlDriven),
        ("multi-strategy-ensemble", ensemble), ("strategy-optimization", optimization),
        ("real-time-monitoring", monitoring), ("adaptive-selection", adaptive),
        ("paper-trading", paperTrading), ("live-trading", liveTrading),
    ]

    static let paperTrading = """
        name: paper-trading
        description: Paper-trade a strategy on replayed bars as a bot, then reconcile its stored books with the session.
        parameters:
          symbol: GOOG
          strategy: sma-crossover
          capital: 10000
          commission: 0.001
          speed: max
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: broker
            action: broker.check
            parameters: { broker: paper }
          - id: session
            action: paper.run
            depends_on: [data, broker]
            parameters: { strategy: "${strategy}", capital: "${capital}", commission: "${commission}", speed: "${speed}" }
          - id: reconcile
            action: paper.reconcile
            depends_on: [session]
          - id: report
            action: report.write
            depends_on: [session, reconcile]
        """

    static let liveTrading = """
        name: live-trading
        description: Risk-managed trading - pre-market data and broker checks, the session under risk limits, post-market reconciliation and report. broker paper is a dry run; alpaca (its paper endpoint unless broker_mode is live) and coinbase send the orders to the venue with the keys of the environment.
        parameters:
          symbol: GOOG
          strategy: sma-crossover
          broker: paper
          broker_mode: paper   # alpaca: paper or live endpoint
          capital: 10000
          commission: 0.001
          max_drawdown_pct: 15
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: feeds
            action: data.check
            depends_on: [data]
          - id: broker
            action: broker.check
            parameters: { broker: "${broker}", mode: "${broker_mode}" }
          - id: session
            action: paper.run
            depends_on: [data, feeds, broker]
            parameters: { strategy: "${strategy}", capital: "${capital}", commission: "${commission}", bot: "live-${symbol}-${strategy}",
                          broker: "${broker}", mode: "${broker_mode}" }
          - id: reconcile
            action: paper.reconcile
            depends_on: [session]
          - id: report
            action: report.write
            depends_on: [session, reconcile]
        """

    static let simpleBacktest = """
        name: simple-backtest
        description: Load the data, backtest one strategy, report.
        parameters:
          symbol: GOOG
          strategy: sma-crossover
          capital: 10000
          commission: 0.002
          report: ""          # a path to write the JSON report to (empty: none)
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: backtest
            action: backtest.run
            depends_on: [data]
            parameters: { strategy: "${strategy}", capital: "${capital}", commission: "${commission}" }
          - id: report
            action: report.write
            depends_on: [data, backtest]
            parameters: { path: "${report}" }
        """

    static let quickTest = """
        name: quick-test
        description: A fast check of a strategy on the last year of bars, with the market analysis beside it.
        parameters:
          symbol: GOOG
          strategy: sma-crossover
          bars: 252
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}", last: "${bars}" }
          - id: backtest
            action: backtest.run
            depends_on: [data]
            parameters: { strategy: "${strategy}", commission: 0.002, save: false }
            timeout: 2m
          - id: analysis
            action: analyze.market
            depends_on: [data]
          - id: report
            action: report.write
            depends_on: [backtest, analysis]
        """

    static let mlDriven = """
        name: ml-driven
        description: Regime and ML strategy selection, then a backtest of the chosen strategy against a fixed baseline.
        parameters:
          symbol: GOOG
          baseline: sma-crossover
          commission: 0.002
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: regime
            action: regime.detect
            depends_on: [data]
          - id: select
            action: strategy.select
            depends_on: [data]
            parameters: { commission: "${commission}" }
          - id: selected
            action: backtest.run
            depends_on: [select, regime]
            parameters: { commission: "${commission}" }
          - id: baseline
            action: backtest.run
            depends_on: [data]
            parameters: { strategy: "${baseline}", commission: "${commission}" }
          - id: report
            action: report.write
            depends_on: [regime, select, selected, baseline]
        """

    static let ensemble = """
        name: multi-strategy-ensemble
        description: >-
          Parallel data preparation, regime detection, a weighted ensemble trained on the first half,
          volatility sizing, and a risk-conditioned backtest of the second half (full size when risk
          allows, a defensive quarter size when it does not).
        parameters:
          symbol: GOOG
          commission: 0.002
          max_volatility: ~   # none: config risk.max_volatility (0.6)
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: analysis
            action: analyze.market
            parameters: { symbol: "${symbol}" }
          - id: regime
            action: regime.detect
            depends_on: [data]
          - id: weights
            action: ensemble.weights
            depends_on: [regime, data]
            parameters: { commission: "${commission}" }
          - id: sizing
            action: sizing.plan
            depends_on: [regime]
          - id: risk
            action: risk.check
            depends_on: [regime]
            parameters: { max_volatility: "${max_volatility}" }
          - id: execute
            action: backtest.run
            depends_on: [weights, sizing, risk]
            condition: "risk.ok == true"
            parameters: { strategy: ensemble, commission: "${commission}" }
          - id: defensive
            action: backtest.run
            depends_on: [weights, risk]
            condition: "risk.ok == false"
            parameters: { strategy: ensemble, commission: "${commission}", position_fraction: 0.25 }
          - id: report
            action: report.write
            depends_on: [analysis, weights, sizing, risk, execute, defensive]
            trigger: none_failed
        """

    static let optimization = """
        name: strategy-optimization
        description: Grid-search a strategy on the first 70% of the bars, then backtest the best set and the defaults on the rest.
        parameters:
          symbol: GOOG
          strategy: sma-crossover
          metric: sharpe
          commission: 0.002
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: optimize
            action: optimize.grid
            depends_on: [data]
            parameters:
              strategy: "${strategy}"
              metric: "${metric}"
              commission: "${commission}"
              ranges: { fast: "5:30:5", slow: "20:100:10" }
              constraints: ["fast<slow"]
          - id: validate
            action: backtest.run
            depends_on: [optimize]
            parameters: { commission: "${commission}" }
          - id: defaults
            action: backtest.run
            depends_on: [optimize]
            parameters: { commission: "${commission}", strategy_parameters: {} }
          - id: report
            action: report.write
            depends_on: [optimize, validate, defaults]
        """

    static let monitoring = """
        name: real-time-monitoring
        description: Checks the data feeds and the latest runs; scheduled every five minutes.
        parameters:
          symbols: "GOOG,EURUSD"
          max_age_days: ~       # none: config monitor.max_data_age_days (5)
          max_drawdown_pct: ~   # none: config monitor.max_drawdown_pct (25)
        schedule: { every: 5m }
        steps:
          - id: feeds
            action: monitor.data
            parameters: { symbols: "${symbols}", max_age_days: "${max_age_days}" }
          - id: runs
            action: monitor.runs
            parameters: { max_drawdown_pct: "${max_drawdown_pct}" }
          - id: report
            action: report.write
            depends_on: [feeds, runs]
            trigger: all_done
        """

    static let adaptive = """
        name: adaptive-selection
        description: The regime now, and the selector's walk-forward choices traded against every fixed strategy.
        parameters:
          symbol: GOOG
          commission: 0.002
        steps:
          - id: data
            action: data.load
            parameters: { symbol: "${symbol}" }
          - id: regime
            action: regime.detect
            depends_on: [data]
          - id: adaptive
            action: backtest.auto
            depends_on: [data]
            parameters: { commission: "${commission}" }
          - id: report
            action: report.write
            depends_on: [regime, adaptive]
        """
}
