// Profiles the full pipeline alone (node --cpu-prof bench/profile.mjs) to find per-call overhead.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createClient } from '@modelwire/client';

const here = fileURLToPath(new URL('.', import.meta.url));
const child = fork(`${here}server.mjs`, { stdio: 'inherit' });
const { port } = await new Promise((resolve) => child.once('message', resolve));
const client = createClient({ baseUrl: `http://127.0.0.1:${port}/v1` });
const padding = 'x'.repeat(900);
let seq = 0;
const deadline = performance.now() + Number(process.argv[2] ?? 4) * 1000;
let n = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (performance.now() < deadline) {
      await client.predict('fraud-score', { amount: 1, seq: seq++, note: padding });
      n++;
    }
  }),
);
console.log(`${(n / Number(process.argv[2] ?? 4)).toFixed(0)} req/s`);
child.kill();
process.exit(0);
