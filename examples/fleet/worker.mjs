// One pod of the fleet: scores a stream of transactions (many repeated) through @modelwire/client, with or without
// fleet mode, and reports what it saw as one JSON line. Started by run.mjs.
import { createClient } from '@modelwire/client';
import { createClient as createRedis } from 'redis';

const [baseUrl, redisUrl, mode, name, calls, distinct, delayMs] = process.argv.slice(2);
const redis = mode === 'fleet' || mode === 'storm-fleet' ? await createRedis({ url: redisUrl }).connect() : undefined;
const client = createClient({
  baseUrl,
  retry: { maxRetries: 0 },
  ...(redis ? { fleet: { redis, quorum: 2, instanceId: name } } : {}),
});
await new Promise((r) => setTimeout(r, Number(delayMs)));
const seen = { cached: 0, upstream: 0, circuitOpen: 0, failed: 0 };
for (let i = 0; i < Number(calls); i++) {
  // Pods see the same stream in a different order: the same customers show up everywhere.
  const customer = (i * 7 + name.length * 13) % Number(distinct);
  try {
    const p = await client.predict('fraud-score', { amount: 10 + customer, country: 'FR', card_present: customer % 2 === 0 });
    if (p.cached) seen.cached++;
    else seen.upstream++;
  } catch (error) {
    if (error.code === 'CIRCUIT_OPEN') seen.circuitOpen++;
    else seen.failed++;
  }
}
await client.close();
await redis?.close();
process.stdout.write(`${JSON.stringify({ name, ...seen })}\n`);
