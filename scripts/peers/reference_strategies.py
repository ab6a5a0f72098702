"""Produce backtesting.py reference statistics for momentum, mean-reversion and breakout.

The Swift parity tests (Tests/TraderEngineTests/StrategyParityTests.swift) run our built-in
strategies (Sources/TraderStrategies/Builtin) with their catalog defaults and compare every
statistic and every trade with what backtesting.py computes for the same rule, written here as
small `Strategy` classes, one per rule, exactly as our strategy defines it:

  momentum(lookback=20, threshold=0.02; and threshold=0.002, which trades on hourly EURUSD)
      change = Close[t] / Close[t - lookback] - 1
      buy while change > threshold, sell while change < -threshold
  mean-reversion(period=20, std=2)
      middle = Close.rolling(period).mean(); sd = Close.rolling(period).std()  (ddof=1)
      buy while Close < middle - std * sd, sell while Close > middle + std * sd
  breakout(lookback=20)
      upper = High.rolling(lookback).max() of the bars BEFORE t (shift(1)), lower likewise Low.min()
      buy while Close > upper, sell while Close < lower

and our kernel's routing of signals (Sources/TraderEngine/Kernel/TradingKernel.swift, `route`):
a buy closes a short and opens a long unless already long; a sell closes a long and, long/short
only, opens a short unless already short; a signal in the direction held adds nothing. Orders are
backtesting.py's default `buy()`/`sell()` size with `exclusive_orders=True`, cash 10,000,
commission 0.002, fills at the next open; `_finalize` variants add `finalize_trades=True`.

One convention is aligned, on purpose (docs/notes/backtesting-py-semantics.md, "Warm-up"):
backtesting.py first calls `next()` one bar AFTER the first bar where every indicator is defined
(`start = 1 + _indicator_warmup_nbars(strategy)`, "+1 to have at least two entries available"),
while our strategies decide from the first bar where their indicators are defined (the bar
`Strategy.warmupBars - 1`; docs/metrics.md). For these rules that is a real difference (momentum
on GOOG signals on that very bar), so `start` is moved back by that one bar here (see
`decide_from_first_defined_bar`). Nothing else is changed: Buy & Hold still starts at
`_indicator_warmup_nbars` (that bar, as ours), and every fill, equity value and statistic is
backtesting.py's own.

usage (from the repo root):
    /tmp/gpt-trader-peers/bin/python scripts/peers/reference_strategies.py \
        [--data data/sample/GOOG.csv] [--out Tests/Fixtures/backtesting_py_strategies.json]

JSON conventions are those of reference_stats.py (repr floats, NaN -> null, ISO times,
Timedeltas as {seconds, days}); each variant also names our strategy and its parameters, so the
Swift test builds the same `StrategySpec`.
"""
import contextlib
import os
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars on stderr

import pandas as pd

import backtesting.backtesting as backtesting_module
from backtesting import Backtest, Strategy
from backtesting._util import _indicator_warmup_nbars

import reference_stats as rs  # same folder: encoding and equity/trade export

CASH = 10_000
COMMISSION = 0.002


class SignalStrategy(Strategy):
    """Turns a per-bar signal (+1 buy, -1 sell, 0 hold) into orders as our kernel routes them."""
    long_short = False

    def signal(self):
        raise NotImplementedError

    def next(self):
        s = self.signal()
        size = self.position.size
        if s > 0 and size <= 0:
            self.position.close()
            self.buy()
        elif s < 0:
            if size > 0:
                self.position.close()
            if self.long_short and size >= 0:
                self.sell()


def rate_of_change(close, lookback):
    c = pd.Series(close)
    return c / c.shift(lookback) - 1


class Momentum(SignalStrategy):
    lookback = 20
    threshold = 0.02

    def init(self):
        self.change = self.I(rate_of_change, self.data.Close, self.lookback)

    def signal(self):
        # The same division as ours: close / close `lookback` bars ago - 1.
        change = self.data.Close[-1] / self.data.Close[-1 - self.lookback] - 1
        return 1 if change > self.threshold else -1 if change < -self.threshold else 0


def bollinger_lower(close, period, std):
    c = pd.Series(close)
    return c.rolling(period).mean() - std * c.rolling(period).std()


def bollinger_upper(close, period, std):
    c = pd.Series(close)
    return c.rolling(period).mean() + std * c.rolling(period).std()


class MeanReversion(SignalStrategy):
    period = 20
    std = 2.0

    def init(self):
        self.lower = self.I(bollinger_lower, self.data.Close, self.period, self.std)
        self.upper = self.I(bollinger_upper, self.data.Close, self.period, self.std)

    def signal(self):
        close = self.data.Close[-1]
        return 1 if close < self.lower[-1] else -1 if close > self.upper[-1] else 0


def channel_high(high, lookback):
    return pd.Series(high).rolling(lookback).max().shift(1)


def channel_low(low, lookback):
    return pd.Series(low).rolling(lookback).min().shift(1)


class Breakout(SignalStrategy):
    lookback = 20

    def init(self):
        self.upper = self.I(channel_high, self.data.High, self.lookback)
        self.lower = self.I(channel_low, self.data.Low, self.lookback)

    def signal(self):
        close = self.data.Close[-1]
        return 1 if close > self.upper[-1] else -1 if close < self.lower[-1] else 0


# (variant name, our catalog name, rule, parameters): every strategy at its catalog defaults
# (Sources/TraderStrategies/Catalog/StrategyCatalog.swift), and momentum once more with a 0.2 %
# threshold, because hourly EURUSD never moves 2 % in 20 bars (no trade at the defaults).
STRATEGIES = [
    ("momentum", "momentum", Momentum, {"lookback": 20, "threshold": 0.02}),
    ("momentum_threshold_0.002", "momentum", Momentum, {"lookback": 20, "threshold": 0.002}),
    ("mean-reversion", "mean-reversion", MeanReversion, {"period": 20, "std": 2.0}),
    ("breakout", "breakout", Breakout, {"lookback": 20}),
]


def strategy_class(base, params, long_short):
    """A subclass of `base` with our parameter values and the direction."""
    return type(base.__name__ + ("LongShort" if long_short else "LongOnly"), (base,),
                dict(params, long_short=long_short))


@contextlib.contextmanager
def decide_from_first_defined_bar():
    """Makes `Backtest.run` call `next()` from the first bar where every indicator is defined.

    `Backtest.run` computes `start = 1 + _indicator_warmup_nbars(strategy)` through the name in
    its own module; only that name is replaced, by one bar less. `compute_stats` imports its own
    reference, so Buy & Hold still starts at the bar `_indicator_warmup_nbars` gives.
    """
    original = backtesting_module._indicator_warmup_nbars
    backtesting_module._indicator_warmup_nbars = lambda strategy: max(0, original(strategy) - 1)
    try:
        yield
    finally:
        backtesting_module._indicator_warmup_nbars = original


def run_variant(df, name, cls, params, long_short, finalize):
    strat = strategy_class(cls, params, long_short)
    kwargs = dict(exclusive_orders=True)
    if finalize:
        kwargs["finalize_trades"] = True
    with warnings.catch_warnings(record=True) as caught, decide_from_first_defined_bar():
        warnings.simplefilter("always")
        bt = Backtest(df, strat, cash=CASH, commission=COMMISSION, **kwargs)
        stats = bt.run()
    sample = rs.sample_positions(len(df), [19, 20, 21, 22, 50, 100, 250, 500, 750, 1000, 1250, 1500, 1750, 2000,
                                           3000, 4000])
    exported = rs.export(stats, df, caught, sample)
    # Moved back one bar, see decide_from_first_defined_bar.
    exported["_intermediates"]["first_bar_next_called"] = int(_indicator_warmup_nbars(stats["_strategy"]))
    return {
        "strategy": name,
        "parameters": params,
        "direction": "long-short" if long_short else "long-only",
        "end_of_run_exit": "last-open" if finalize else "none",
        "backtest_kwargs": dict(cash=CASH, commission=COMMISSION, **kwargs),
        "python_strategy": strat.__name__,
        **exported,
    }


def main():
    repo, args, df = rs.arguments(__doc__.splitlines()[0], "Tests/Fixtures/backtesting_py_strategies.json")
    result = {
        "_produced_by": rs.produced_by(
            repo, args, df,
            strategies=("momentum, mean-reversion, breakout at our catalog defaults (and momentum "
                        "with threshold 0.002), rules as in scripts/peers/reference_strategies.py; "
                        "cash=10000, commission=0.002, default size (1 - sys.float_info.epsilon), "
                        "exclusive_orders=True; next() from the first bar where the indicators are defined")),
        "variants": {},
    }
    for label, name, cls, params in STRATEGIES:
        for long_short in (False, True):
            for finalize in (False, True):
                key = f"{label}_{'long_short' if long_short else 'long_only'}" + ("_finalize" if finalize else "")
                result["variants"][key] = run_variant(df, name, cls, params, long_short, finalize)
    rs.write(result, args.out)


if __name__ == "__main__":
    main()
