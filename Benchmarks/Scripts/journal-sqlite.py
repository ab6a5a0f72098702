#!/usr/bin/env python3
"""What SQLite itself costs a journaled replay, whatever the client: the rows a tracked paper
session over the 1,000,000-bar synthetic series writes (55,634 orders, 111,268 order states,
55,634 fills), inserted with prepared statements reused per table (`executemany`, C speed), in
the store's schema and grouping (one transaction per 2,048 records, WAL, synchronous=NORMAL,
foreign keys on); then the same records packed into chunks (one row per 512 orders). Also the
row schema made lean (a partial index of open orders, order states WITHOUT ROWID, one fills
index), to see whether indexes are what costs.

    python3 Benchmarks/Scripts/journal-sqlite.py        (writes into a temporary directory)
"""
import os, sqlite3, struct, tempfile, time, uuid

N = 55_634
ROWS = [
    """CREATE TABLE orders (id TEXT PRIMARY KEY, bot_id TEXT NOT NULL, symbol TEXT NOT NULL,
       side TEXT NOT NULL CHECK (side IN ('buy','sell')), order_type TEXT NOT NULL, quantity REAL NOT NULL,
       limit_price REAL, stop_price REAL, status TEXT NOT NULL, filled_quantity REAL NOT NULL,
       average_fill_price REAL, broker_order_id TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)""",
    "CREATE INDEX orders_bot ON orders (bot_id, created_at DESC)",
    "CREATE INDEX orders_bot_status ON orders (bot_id, status)",
    """CREATE TABLE order_states (order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE, at INTEGER NOT NULL,
       status TEXT NOT NULL, filled_quantity REAL NOT NULL, detail TEXT NOT NULL, PRIMARY KEY (order_id, at, status))""",
    """CREATE TABLE fills (id TEXT PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
       bot_id TEXT NOT NULL, symbol TEXT NOT NULL, at INTEGER NOT NULL, quantity REAL NOT NULL, price REAL NOT NULL,
       commission REAL NOT NULL)""",
    "CREATE INDEX fills_order ON fills (order_id, at)",
    "CREATE INDEX fills_bot ON fills (bot_id, at)",
]
LEAN = [ROWS[0], "CREATE INDEX orders_open ON orders (bot_id) WHERE status NOT IN ('filled','cancelled','rejected','expired')",
        ROWS[3] + " WITHOUT ROWID", ROWS[4], ROWS[5]]
PACKED = ["""CREATE TABLE journal_chunks (bot_id TEXT NOT NULL, session INTEGER NOT NULL, chunk INTEGER NOT NULL,
             first_at INTEGER, last_at INTEGER, count INTEGER, data BLOB NOT NULL, PRIMARY KEY (bot_id, session, chunk))"""]

# Ids as the runtime derives them (OrderIdentity): the bot's key, the kind, the number.
KEY = 0x1234567890ABCDEF
def order_id(n): return str(uuid.UUID(int=(KEY << 64) | (1 << 56) | n))
def fill_id(n): return str(uuid.UUID(int=(KEY << 64) | (2 << 56) | n))
ORDERS = [(order_id(i), "bot", "SYN", "buy" if i % 2 == 0 else "sell", "market", 100.0, None, None, "filled", 100.0, 101.5,
           f"paper-1-{i}", i * 60, i * 60 + 1) for i in range(N)]
STATES = [s for i in range(N) for s in ((order_id(i), i * 60, "accepted", 0.0, "accepted by the paper broker"),
                                         (order_id(i), i * 60 + 1, "filled", 100.0, "filled (signal)"))]
FILLS = [(fill_id(i), order_id(i), "bot", "SYN", i * 60 + 1, 100.0 if i % 2 == 0 else -100.0, 101.5, 0.0) for i in range(N)]


def connect(directory, name, schema):
    c = sqlite3.connect(os.path.join(directory, name), isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        c.execute("PRAGMA " + pragma)
    for statement in schema:
        c.execute(statement)
    return c


def rows(c):
    per = 2048 // 4  # a 2,048-record entry: 512 orders, 1,024 states, 512 fills
    start = time.perf_counter()
    for k in range(0, N, per):
        c.execute("BEGIN")
        c.executemany("INSERT INTO orders VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (id) DO UPDATE SET status = excluded.status",
                      ORDERS[k:k + per])
        c.executemany("INSERT INTO order_states VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING", STATES[2 * k:2 * (k + per)])
        c.executemany("INSERT INTO fills VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (id) DO NOTHING", FILLS[k:k + per])
        c.execute("COMMIT")
    return time.perf_counter() - start


def packed(c):
    per = 512
    record = struct.Struct("<qqqBdddd")  # number, submitted, filled, status, quantity, price, filled quantity, commission
    start = time.perf_counter()
    for chunk, k in enumerate(range(0, N, per)):
        blob = b"".join(record.pack(i, i * 60, i * 60 + 1, 1, 100.0, 101.5, 100.0, 0.0) for i in range(k, min(N, k + per)))
        c.execute("BEGIN")
        c.execute("INSERT INTO journal_chunks VALUES (?,?,?,?,?,?,?)", ("bot", 1, chunk, k * 60, (k + per) * 60, per, blob))
        c.execute("COMMIT")
    return time.perf_counter() - start


with tempfile.TemporaryDirectory() as d:
    print(f"rows, the store's schema (222,536 rows):  {rows(connect(d, 'rows.db', ROWS)):.3f} s")
    print(f"rows, lean schema:                         {rows(connect(d, 'lean.db', LEAN)):.3f} s")
    print(f"packed chunks (109 rows, packing included): {packed(connect(d, 'packed.db', PACKED)):.3f} s")
