// Requires the BUILT package (CJS) by its own name and makes one real call on loopback.
const { createServer } = require('node:http');
const { canonicalJson, createClient, ModelwireError } = require('@modelwire/client');

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
        result: { confidence: 0.8 },
      }),
    );
  });
});
server.listen(0, '127.0.0.1', async () => {
  const client = createClient({ baseUrl: `http://127.0.0.1:${server.address().port}/v1` });
  const p = await client.predict('m', { x: 1 });
  server.close();
  if (canonicalJson({ n: 1e21 }) !== '{"n":1e+21}' || p.confidence !== 0.8 || typeof ModelwireError !== 'function') {
    console.error('CJS smoke failed', p);
    process.exit(1);
  }
  console.log(`CJS smoke ok on Node ${process.version}`);
});
