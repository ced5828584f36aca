// Imports the BUILT package (ESM) by its own name and makes one real call on loopback.
import { createServer } from 'node:http';
import { canonicalJson, createClient, ValidationError } from '@modelwire/client';

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    const { request_id } = JSON.parse(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        status: 'success',
        code: 'OK',
        message: 'ok',
        request_id,
        trace_id: 't',
        model: { name: 'm', version: '1' },
        result: { confidence: 0.9 },
      }),
    );
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const client = createClient({ baseUrl: `http://127.0.0.1:${server.address().port}/v1` });
const p = await client.predict('m', { b: 1, a: 2 });
server.close();
if (canonicalJson({ b: 1.0, a: [] }) !== '{"a":[],"b":1}' || p.confidence !== 0.9 || typeof ValidationError !== 'function') {
  console.error('ESM smoke failed', p);
  process.exit(1);
}
console.log(`ESM smoke ok on Node ${process.version}`);
