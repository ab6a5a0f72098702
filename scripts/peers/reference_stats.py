"""Produce backtesting.py reference statistics for the Swift port's parity tests.

Runs backtesting.py (installed in the peers venv, see ../../../shared/peers/peer-bench setup)
on data/sample/GOOG.csv with an SMA(10)/SMA(20) crossover in several variants and writes
Tests/Fixtures/backtesting_py_reference.json with full-precision (repr) floats.

usage (from the repo root):
    /tmp/gpt-trader-peers/bin/python scripts/peers/reference_stats.py \
        [--data data/sample/GOOG.csv] [--out Tests/Fixtures/backtesting_py_reference.json]

JSON encoding conventions:
  * floats are written with Python's repr (shortest round-trip), never rounded;
  * NaN -> null; +/-inf -> the strings "inf" / "-inf";
  * pd.Timestamp -> ISO 8601 string (e.g. "2004-08-19T00:00:00");
  * pd.Timedelta -> {"seconds": total seconds (float), "days": total days (float)};
  * numpy ints -> int, numpy floats -> float.
Keys of "stats" are exactly the keys of the Series returned by Backtest.run() minus the
private "_strategy", "_equity_curve", "_trades" entries (those are exported separately).
"""
import argparse
import inspect
import json
import math
import os
import platform
import sys
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars on stderr

import numpy as np
import pandas as pd

import backtesting
from backtesting import Backtest, Strategy
from backtesting.lib import crossover
from backtesting._util import _data_period, _indicator_warmup_nbars
from backtesting._stats import geometric_mean

CASH = 10_000
COMMISSION = 0.002
FAST, SLOW = 10, 20


def sma(x, n):
    return pd.Series(x).rolling(n).mean()


class SmaCrossLong(Strategy):
    fast = FAST
    slow = SLOW

    def init(self):
        self.f = self.I(sma, self.data.Close, self.fast)
        self.s = self.I(sma, self.data.Close, self.slow)

    def next(self):
        if crossover(self.f, self.s):
            self.buy()
        elif crossover(self.s, self.f):
            self.position.close()


class SmaCrossLongShort(Strategy):
    fast = FAST
    slow = SLOW

    def init(self):
        self.f = self.I(sma, self.data.Close, self.fast)
        self.s = self.I(sma, self.data.Close, self.slow)

    def next(self):
        if crossover(self.f, self.s):
            self.position.close()
            self.buy()
        elif crossover(self.s, self.f):
            self.position.close()
            self.sell()


def has_finalize_trades():
    return 'finalize_trades' in inspect.signature(Backtest.__init__).parameters


def variants():
    v = [
        ("long_only", SmaCrossLong, dict(exclusive_orders=True)),
        ("long_short", SmaCrossLongShort, dict(exclusive_orders=True)),
    ]
    if has_finalize_trades():
        v += [
            ("long_only_finalize", SmaCrossLong, dict(exclusive_orders=True, finalize_trades=True)),
            ("long_short_finalize", SmaCrossLongShort,
             dict(exclusive_orders=True, finalize_trades=True)),
        ]
    v += [("long_only_trade_on_close", SmaCrossLong,
           dict(exclusive_orders=True, trade_on_close=True))]
    return v


def enc(x):
    """Encode one scalar for JSON at full precision."""
    if x is None:
        return None
    if isinstance(x, pd.Timestamp):
        return None if pd.isna(x) else x.isoformat()
    if isinstance(x, (pd.Timedelta, np.timedelta64)):
        x = pd.Timedelta(x)
        if pd.isna(x):
            return None
        secs = x.total_seconds()
        return {"seconds": float(secs), "days": float(secs / 86400.0)}
    if x is pd.NaT:
        return None
    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, np.integer)):
        return int(x)
    if isinstance(x, (float, np.floating)):
        x = float(x)
        if math.isnan(x):
            return None
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return x
    if isinstance(x, str):
        return x
    if pd.isna(x):
        return None
    return repr(x)


def trades_to_json(trades_df):
    cols = [c for c in ("Size", "EntryBar", "ExitBar", "EntryPrice", "ExitPrice", "PnL",
                        "ReturnPct", "EntryTime", "ExitTime", "Commission", "Duration")
            if c in trades_df.columns]
    return [{c: enc(row[c]) for c in cols} for _, row in trades_df.iterrows()]


def equity_rows(eq, positions):
    out = []
    for i in positions:
        out.append({
            "i": int(i),
            "index": enc(eq.index[i]),
            "Equity": enc(eq["Equity"].iloc[i]),
            "DrawdownPct": enc(eq["DrawdownPct"].iloc[i]),
            "DrawdownDuration": enc(eq["DrawdownDuration"].iloc[i]),
        })
    return out


def intermediates(stats, df):
    """Internal quantities of compute_stats (re-derived the same way) to help debugging."""
    eq = stats["_equity_curve"]
    index = df.index
    period = _data_period(index)
    freq_days = period.days
    have_weekends = bool(index.day_of_week.to_series().between(5, 6).mean() > 2 / 7 * .6)
    annual = (52 if freq_days == 7 else 12 if freq_days == 31 else 1 if freq_days == 365
              else (365 if have_weekends else 252))
    freq = {7: 'W', 31: 'ME', 365: 'YE'}.get(freq_days, 'D')
    day_returns = eq['Equity'].resample(freq).last().dropna().pct_change().dropna()
    strategy = stats["_strategy"]
    return {
        "data_period": enc(period),
        "annual_trading_days": annual,
        "resample_freq": freq,
        "n_day_returns": int(len(day_returns)),
        "gmean_day_return": enc(geometric_mean(day_returns)),
        "day_returns_var_ddof1": enc(day_returns.var(ddof=1)),
        "first_trading_bar (indicator warm-up, used for Buy&Hold)":
            int(_indicator_warmup_nbars(strategy)),
        "first_bar_next_called": int(1 + _indicator_warmup_nbars(strategy)),
        "equity_sum": enc(float(np.sum(eq['Equity'].values))),
        "n_open_trades_at_end": len(strategy.trades),
        "open_trades_at_end": [
            {"Size": enc(t.size), "EntryBar": enc(t.entry_bar), "EntryPrice": enc(t.entry_price),
             "EntryTime": enc(t.entry_time), "unrealized_pl_at_last_close": enc(t.pl)}
            for t in strategy.trades],
    }


def sample_positions(n, wanted):
    """The equity rows to export besides the first and last five: `wanted` within the run."""
    return [i for i in sorted(set(wanted) - set(range(5)) - set(range(n - 5, n))) if 0 <= i < n]


def export(stats, df, caught, sample):
    """A run's statistics, trades, sampled equity rows and intermediates, as the fixtures keep them."""
    n = len(df)
    eq = stats["_equity_curve"]
    return {
        "warnings": sorted(set(str(w.message) for w in caught)),
        "stats": {k: enc(v) for k, v in stats.items() if not k.startswith("_")},
        "stats_key_order": [k for k in stats.index if not k.startswith("_")],
        "trades": trades_to_json(stats["_trades"]),
        "equity_curve": {
            "n_rows": int(len(eq)),
            "first5": equity_rows(eq, range(5)),
            "sampled": equity_rows(eq, sample),
            "last5": equity_rows(eq, range(n - 5, n)),
        },
        "_intermediates": intermediates(stats, df),
    }


def run_variant(df, strat, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bt = Backtest(df, strat, cash=CASH, commission=COMMISSION, **kwargs)
        stats = bt.run()
    sample = sample_positions(len(df), [19, 20, 21, 50, 100, 250, 500, 750, 1000, 1250, 1500, 1750, 2000])
    return {
        "backtest_kwargs": dict(cash=CASH, commission=COMMISSION, **kwargs),
        "strategy": strat.__name__,
        **export(stats, df, caught, sample),
    }


def arguments(description, default_out):
    """`--data` and `--out` (defaults: GOOG, `default_out` under the repo) and the bars read."""
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--data", default=os.path.join(repo, "data/sample/GOOG.csv"))
    ap.add_argument("--out", default=os.path.join(repo, default_out))
    args = ap.parse_args()
    df = pd.read_csv(args.data, index_col="Date", parse_dates=True)
    return repo, args, df[["Open", "High", "Low", "Close", "Volume"]]


def produced_by(repo, args, df, **what):
    """The provenance block: versions, the command, the data, then `what` was run."""
    return {
        "backtesting.py": backtesting.__version__,
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "command": " ".join([sys.executable] + sys.argv),
        "data": os.path.relpath(os.path.abspath(args.data), repo),
        "data_rows": int(len(df)),
        **what,
        "encoding": ("floats=repr; NaN=null; inf='inf'/'-inf'; Timestamp=ISO string; "
                     "Timedelta={seconds, days}"),
    }


def write(result, path):
    """Writes a fixture (indent 1, no NaN) and prints a line per variant."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(result, f, indent=1, allow_nan=False)
        f.write("\n")
    for name, v in result["variants"].items():
        s = v["stats"]
        print(f"{name:36s} trades={s['# Trades']:3d} open_at_end={v['_intermediates']['n_open_trades_at_end']} "
              f"final={s['Equity Final [$]']!r} return%={s['Return [%]']!r}")
    print("wrote", path)


def main():
    repo, args, df = arguments(__doc__.splitlines()[0], "Tests/Fixtures/backtesting_py_reference.json")
    result = {
        "_produced_by": produced_by(
            repo, args, df,
            strategy=(f"SMA crossover fast={FAST} slow={SLOW}; SMA = pd.Series(Close)"
                      f".rolling(n).mean(); signals via backtesting.lib.crossover; "
                      f"cash={CASH}, commission={COMMISSION}, default size (buy()/sell() "
                      f"with size=_FULL_EQUITY = 1 - sys.float_info.epsilon)"),
            finalize_trades_supported=has_finalize_trades()),
        "variants": {},
    }
    for name, strat, kwargs in variants():
        result["variants"][name] = run_variant(df, strat, kwargs)
    write(result, args.out)


if __name__ == "__main__":
    main()
