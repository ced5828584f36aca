// Requires the BUILT package (CJS) by its own name and makes one real call on loopback.
const { canonicalJson, createClient, ModelwireError } = require('@modelwire/client');
const { startSmokeServer } = require('./server.cjs');

startSmokeServer(0.8).then(async (server) => {
  const p = await createClient({ baseUrl: server.url }).predict('m', { x: 1 });
  server.close();
  if (canonicalJson({ n: 1e21 }) !== '{"n":1e+21}' || p.confidence !== 0.8 || typeof ModelwireError !== 'function') {
    console.error('CJS smoke failed', p);
    process.exit(1);
  }
  console.log(`CJS smoke ok on Node ${process.version}`);
});
