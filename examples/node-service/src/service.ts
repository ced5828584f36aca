/**
 * The scoring service: node:http, no framework. `POST /score` asks `fraud-score` (falling back to
 * `fraud-score-backup` when it is down) and `GET /metrics` exposes the client's events to Prometheus.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  type ClientOptions,
  createClient,
  type ModelwireClient,
  ModelwireError,
  type ModelwireEvent,
  RateLimitError,
} from '@modelwire/client';
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { createClientMetrics } from './client-metrics.ts';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus.ts';

/** Largest request body accepted by `POST /score`. */
export const MAX_BODY_BYTES = 64 * 1024;

/** What `createScoringService` needs: at least the gateway's base URL. */
export interface ServiceOptions {
  /** Passed to `createClient`; `fallbacks` defaults to fraud-score → fraud-score-backup. */
  client: ClientOptions;
}

/** HTTP status a client error kind maps to for the service's own callers. */
function statusFor(error: ModelwireError): number {
  switch (error.kind) {
    case 'Validation':
    case 'InvalidInput':
      return 422;
    case 'PayloadTooLarge':
      return 413;
    case 'RateLimit':
      return 429;
    case 'Timeout':
    case 'DeadlineExceeded':
      return 504;
    default:
      return 503;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; error: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, error: `body above ${MAX_BODY_BYTES} bytes` };
    chunks.push(chunk);
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, error: 'body must be JSON, e.g. {"amount": 120, "country": "FR"}' };
  }
}

/** `POST /score`: one prediction, answered as JSON (errors mapped to HTTP statuses). */
async function score(client: ModelwireClient, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readJson(req);
  if (!body.ok) return sendJson(res, body.status, { error: body.error });
  if (typeof body.value !== 'object' || body.value === null || Array.isArray(body.value)) {
    return sendJson(res, 400, { error: 'body must be a JSON object: the transaction to score' });
  }
  const incomingId = req.headers['x-request-id'];
  try {
    const p = await client.predict('fraud-score', body.value as Record<string, unknown>, {
      requestId: typeof incomingId === 'string' && incomingId !== '' ? incomingId : undefined,
    });
    sendJson(
      res,
      200,
      {
        label: p.result.label,
        score: p.result.score,
        confidence: p.confidence,
        low_confidence: p.lowConfidence,
        model: p.model,
        cached: p.cached,
        fallback: p.fallback ?? null,
        attempts: p.attempts,
        request_id: p.requestId,
      },
      { 'x-request-id': p.requestId },
    );
  } catch (error) {
    if (!(error instanceof ModelwireError)) throw error;
    const headers: Record<string, string> = error.requestId ? { 'x-request-id': error.requestId } : {};
    // Pass the gateway's wait on to our caller so it backs off too.
    if (error instanceof RateLimitError && error.retryAfterMs !== undefined)
      headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
    sendJson(
      res,
      statusFor(error),
      { error: error.code, message: error.message, errors: error.errors, request_id: error.requestId },
      headers,
    );
  }
}

/**
 * Builds the service (not listening yet). The returned `client` is the embedded modelwire client.
 *
 * @example
 * const { server } = createScoringService({ client: { baseUrl: 'http://127.0.0.1:4010/v1', auth: { token } } });
 * server.listen(8080, '127.0.0.1');
 * // curl -s -XPOST localhost:8080/score -d '{"amount":120,"country":"FR"}'; curl -s localhost:8080/metrics
 */
export function createScoringService(options: ServiceOptions): { server: Server; client: ReturnType<typeof createClient> } {
  const metrics = createClientMetrics();
  const userHook = options.client.onEvent;
  const client = createClient({
    fallbacks: { 'fraud-score': 'fraud-score-backup' },
    ...options.client,
    onEvent: (event: ModelwireEvent) => {
      metrics.onEvent(event);
      userHook?.(event);
    },
  });

  const tracer = trace.getTracer('node-service');
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'POST' && path === '/score') {
      // A SERVER span continuing the caller's trace: the client's `predict` span becomes its child (no-op without an OTel SDK).
      const incoming = propagation.extract(context.active(), req.headers);
      tracer.startActiveSpan(
        'POST /score',
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': 'POST', 'http.route': '/score' } },
        incoming,
        (span) => {
          res.on('close', () => {
            span.setAttribute('http.response.status_code', res.statusCode);
            if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
            span.end();
          });
          score(client, req, res).catch(() => {
            if (!res.headersSent) sendJson(res, 500, { error: 'INTERNAL' });
            else res.destroy();
          });
        },
      );
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      const text = metrics.registry.render();
      res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }
    if (req.method === 'GET' && path === '/healthz') return sendJson(res, 200, { ok: true });
    sendJson(res, 404, { error: `no route ${req.method} ${path}; try POST /score or GET /metrics` });
  });
  return { server, client };
}
