// A one-route model server on 127.0.0.1 for the smoke tests (shared by the ESM and CJS smoke scripts).
const { createServer } = require('node:http');

/** Starts the server; resolves to its base URL and a close function. */
exports.startSmokeServer = (confidence) =>
  new Promise((resolve) => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const { request_id } = JSON.parse(body);
        const envelope = {
          status: 'success',
          code: 'OK',
          message: 'ok',
          request_id,
          trace_id: 't',
          model: { name: 'm', version: '1' },
          result: { confidence },
        };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(envelope));
      });
    });
    server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}/v1`, close: () => server.close() }));
  });
