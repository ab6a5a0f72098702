"""What backtesting.py's `finalize_trades=True` does with orders placed on the last bar.

Five daily bars, flat at 100 but the last (open 104, high 111, low 99, close 110), cash 10,000,
no commission, exclusive orders:
  entry_on_last_bar  buy() in next() on the last bar
  reversal_on_last_bar  buy() on bar 1 (fills at bar 2's open), then position.close(); sell()
                         on the last bar
Prints the closed trades, the trades still open after the run and the equity curve. The Swift
test EndOfRunExitTests (Tests/TraderEngineTests) holds our `--close-at-last-open` to these
numbers: the final pass fills the last bar's orders at its open after the closes.

usage (from the repo root):
    /tmp/gpt-trader-peers/bin/python scripts/peers/finalize_probe.py
"""
import os
import warnings

os.environ.setdefault("TQDM_DISABLE", "1")

import pandas as pd
from backtesting import Backtest, Strategy

ROWS = [(100, 100, 100, 100)] * 4 + [(104, 111, 99, 110)]


class EntryOnLastBar(Strategy):
    def init(self):
        pass

    def next(self):
        if len(self.data) == len(ROWS):
            self.buy()


class ReversalOnLastBar(Strategy):
    def init(self):
        pass

    def next(self):
        if len(self.data) == 2:
            self.buy()
        if len(self.data) == len(ROWS):
            self.position.close()
            self.sell()


def main():
    df = pd.DataFrame(ROWS, columns=["Open", "High", "Low", "Close"],
                      index=pd.date_range("2024-01-01", periods=len(ROWS), freq="D"))
    for strategy in (EntryOnLastBar, ReversalOnLastBar):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            stats = Backtest(df, strategy, cash=10_000, exclusive_orders=True, finalize_trades=True).run()
        closed = stats["_trades"][["Size", "EntryBar", "ExitBar", "EntryPrice", "ExitPrice"]].to_dict("records")
        still_open = [dict(Size=t.size, EntryBar=t.entry_bar, EntryPrice=float(t.entry_price))
                      for t in stats["_strategy"].trades]
        print(strategy.__name__)
        print("  closed:", closed)
        print("  open:  ", still_open)
        print("  equity:", [float(e) for e in stats["_equity_curve"]["Equity"]])


if __name__ == "__main__":
    main()
