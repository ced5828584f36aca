// The benchmark's model server: a child process so it never shares the client's event loop.
// Answers every predict with a fixed, contract-valid envelope — at once, or after BENCH_MODEL_MS (a model with real
// inference latency, for bench/fleet.mjs).
import { createServer } from 'node:http';

const modelMs = Number(process.env.BENCH_MODEL_MS ?? 0);

const body = JSON.stringify({
  status: 'success',
  code: 'OK',
  message: 'prediction',
  request_id: 'bench',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  model: { name: 'fraud-score', version: '2' },
  result: { label: 'legit', score: 0.0871, confidence: 0.9129, uncertainty_score: 0.1742 },
});
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-model-version': '2' });
      res.end(body);
    };
    if (modelMs > 0) setTimeout(answer, modelMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
