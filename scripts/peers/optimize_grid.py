"""Time backtesting.py's Backtest.optimize on the 90-set SMA grid of the optimization issue
(fast 5..50 step 5, slow 20..200 step 20, fast < slow, maximize Sharpe) over a CSV, and print one
JSON line: best-of-N seconds, the best parameters and their Sharpe.

usage: python optimize_grid.py CSV [--commission 0.002] [--reps 3]
Run with the peers' venv: /tmp/gpt-trader-peers/bin/python scripts/peers/optimize_grid.py data/sample/GOOG.csv
"""
import argparse, json, os, time, warnings
os.environ.setdefault("TQDM_DISABLE", "1")  # no progress bars in timed runs
warnings.filterwarnings("ignore")
import os.path, sys
import pandas as pd
from backtesting import Backtest

# The same long-only SMA crossover the parity reference uses, with class-level fast/slow that
# Backtest.optimize sets per run.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reference_stats import SmaCrossLong as SmaCross  # noqa: E402


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--commission", type=float, default=0.002)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    df = pd.read_csv(a.csv, index_col=0, parse_dates=True)
    times, stats = [], None
    for _ in range(a.reps):
        bt = Backtest(df, SmaCross, cash=10_000, commission=a.commission, exclusive_orders=True)
        t = time.perf_counter()
        stats = bt.optimize(fast=range(5, 51, 5), slow=range(20, 201, 20), maximize="Sharpe Ratio",
                            constraint=lambda p: p.fast < p.slow)
        times.append(time.perf_counter() - t)
    print(json.dumps({"framework": "backtesting", "task": "optimize-grid-90", "best_s": round(min(times), 4),
                      "best": {"fast": int(stats._strategy.fast), "slow": int(stats._strategy.slow)},
                      "sharpe": float(stats["Sharpe Ratio"])}), flush=True)
