// Imports the BUILT package (ESM) by its own name and makes one real call on loopback.
import { canonicalJson, createClient, ValidationError } from '@modelwire/client';
import smoke from './server.cjs';

const server = await smoke.startSmokeServer(0.9);
const p = await createClient({ baseUrl: server.url }).predict('m', { b: 1, a: 2 });
server.close();
if (canonicalJson({ b: 1.0, a: [] }) !== '{"a":[],"b":1}' || p.confidence !== 0.9 || typeof ValidationError !== 'function') {
  console.error('ESM smoke failed', p);
  process.exit(1);
}
console.log(`ESM smoke ok on Node ${process.version}`);
