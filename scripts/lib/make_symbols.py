#!/usr/bin/env python3
"""Writes N seeded random-walk OHLCV CSV files (SYM00.csv …) for benchmarks.

usage: make_symbols.py DIR COUNT BARS TIMEFRAME(1d|1h) [SEED]
"""
import math, os, random, sys
from datetime import datetime, timedelta

def main():
    out, count, bars, tf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    seed = int(sys.argv[5]) if len(sys.argv) > 5 else 7
    step = timedelta(days=1) if tf == "1d" else timedelta(hours=1)
    os.makedirs(out, exist_ok=True)
    for s in range(count):
        rng = random.Random(seed * 1000 + s)
        t, price = datetime(2000, 1, 3), 50 + 10 * s
        lines = ["Date,Open,High,Low,Close,Volume"]
        for _ in range(bars):
            o = price
            price = max(1.0, price * math.exp(rng.gauss(0.0002, 0.015)))
            hi, lo = max(o, price) * (1 + abs(rng.gauss(0, 0.004))), min(o, price) * (1 - abs(rng.gauss(0, 0.004)))
            stamp = t.strftime("%Y-%m-%d") if tf == "1d" else t.strftime("%Y-%m-%d %H:%M:%S")
            lines.append(f"{stamp},{o:.4f},{hi:.4f},{lo:.4f},{price:.4f},{rng.randint(1000, 100000)}")
            t += step
        with open(os.path.join(out, f"SYM{s:02d}.csv"), "w") as f:
            f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
