/**
 * Starts the scoring service. Environment: MODELWIRE_BASE_URL (default http://127.0.0.1:4010/v1, the
 * mock gateway's default), MODELWIRE_TOKEN (optional), PORT (default 8080), HOST (default 127.0.0.1).
 *
 * @example
 * // terminal 1: node packages/mock-server/dist/cli.js      terminal 2: node examples/node-service/src/main.ts
 */
import { createScoringService } from './service.ts';
import { startTelemetry } from './telemetry.ts';

// Traces and metrics over OTLP to 127.0.0.1:4318 (a collector, if one runs); /metrics serves Prometheus either way.
const telemetry = startTelemetry();

const token = process.env.MODELWIRE_TOKEN;
const { server } = createScoringService({
  client: {
    baseUrl: process.env.MODELWIRE_BASE_URL ?? 'http://127.0.0.1:4010/v1',
    ...(token ? { auth: { token } } : {}),
  },
});
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';
server.listen(port, host, () => {
  console.log(`node-service listening on http://${host}:${port} (POST /score, GET /metrics)`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => server.close(() => telemetry.shutdown().finally(() => process.exit(0))));
}
