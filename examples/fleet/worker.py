"""One Python pod of the fleet demo: scores a stream of transactions (many repeated) through
modelwire.Client, with or without fleet mode, and reports what it saw as one JSON line.
Started by run.mjs:
  python worker.py <base_url> <redis_url> <mode> <name> <calls> <distinct> <delay_ms>"""

import json
import sys
import time

import redis

from modelwire import CircuitOpenError, Client, Fleet, ModelwireError, RetryOptions

base_url, redis_url, mode, name, calls, distinct, delay_ms = sys.argv[1:8]
store = redis.Redis.from_url(redis_url) if mode in ("fleet", "storm-fleet") else None
client = Client(
    base_url,
    retry=RetryOptions(max_retries=0),
    fleet=Fleet(redis=store, quorum=2, instance_id=name) if store else None,
)
time.sleep(int(delay_ms) / 1000)
seen = {"cached": 0, "upstream": 0, "circuitOpen": 0, "failed": 0}
for i in range(int(calls)):
    # Pods see the same stream in a different order: the same customers show up everywhere.
    customer = (i * 7 + len(name) * 13) % int(distinct)
    try:
        p = client.predict(
            "fraud-score",
            {"amount": 10 + customer, "country": "FR", "card_present": customer % 2 == 0},
        )
        seen["cached" if p.cached else "upstream"] += 1
    except CircuitOpenError:
        seen["circuitOpen"] += 1
    except ModelwireError:
        seen["failed"] += 1
client.close()
if store is not None:
    store.close()
print(json.dumps({"name": name, **seen}))
