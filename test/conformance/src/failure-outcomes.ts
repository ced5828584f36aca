// The outcomes of test/vectors/failures.json produced by the TypeScript client's own code: HTTP
// answers go through the response parser every transport's answer goes through, local situations
// are provoked through the public client (fake transport, virtual clock) so the error is the one a
// caller would catch. Everything is imported from the client's source, so the failure predicates
// and the errors share one `ModelwireError` class.
import { createClientWith } from '../../../packages/client/src/client.js';
import { ModelwireError } from '../../../packages/client/src/errors/modelwire-error.js';
import { DEFAULT_POLICY } from '../../../packages/client/src/generated/policy.js';
import type { Answer } from '../../../packages/client/src/internal/call-context.js';
import { parseResponse } from '../../../packages/client/src/internal/parse-response.js';
import { ManualClock } from '../../../packages/client/src/testing-clock.js';
import { kyTransport } from '../../../packages/client/src/transport/ky-transport.js';
import type { HttpRequest, HttpResponse, Transport } from '../../../packages/client/src/transport/transport.js';
import type { LocalFailure } from './vectors.js';

const BASE_URL = 'http://gateway.invalid/v1';
const OK_BODY = JSON.stringify({
  status: 'success',
  code: 'OK',
  message: 'prediction',
  request_id: 'r',
  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
  model: { name: 'fraud-score', version: '1' },
  result: { label: 'legit', confidence: 0.9 },
});

/** An attempt's outcome, in the shape the failure predicates take. */
export type AttemptOutcome = { answer: Answer } | { error: unknown };

/**
 * A `response` case through the client's response parser: the parsed answer, or the typed error.
 * Header names are lower-cased first, as every transport does.
 *
 * @example parsedOutcome({ status: 503, headers: { 'Retry-After': '1' } }) // { error: UnavailableError (retryAfterMs 1000) }
 */
export function parsedOutcome(response: {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw_body?: string;
}): AttemptOutcome {
  const http: HttpResponse = {
    status: response.status,
    headers: Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    body: response.raw_body ?? (response.body === undefined ? '' : JSON.stringify(response.body)),
  };
  const parsed = parseResponse(http, {
    requestId: 'req-local',
    traceId: '0'.repeat(32),
    wallMs: Date.UTC(2026, 0, 1),
    maxJsonDepth: DEFAULT_POLICY.maxJsonDepth,
  });
  return parsed instanceof ModelwireError ? { error: parsed } : { answer: parsed };
}

/** A transport that answers only when aborted (then rejects like a real one) — an attempt that hangs. */
const hanging: Transport = (request: HttpRequest) =>
  new Promise<HttpResponse>((_, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true }));

const refused: Transport = async () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
};

/** Settles `promise` while moving the virtual clock by `ms` once the attempt is in flight. */
async function withClockAdvance<T>(clock: ManualClock, ms: number, promise: Promise<T>): Promise<T> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  clock.advance(ms);
  return promise;
}

/**
 * A `local` case provoked through the public client: the error `predict` rejects with.
 *
 * @example await localOutcome('timeout') // { error: TimeoutError (code TIMEOUT) }
 */
export async function localOutcome(situation: LocalFailure): Promise<AttemptOutcome> {
  return { error: await localError(situation) };
}

async function localError(situation: LocalFailure): Promise<unknown> {
  const clock = new ManualClock();
  const base = { baseUrl: BASE_URL, clock, retry: { maxRetries: 0 }, cache: false as const };
  const client = (transport: Transport, extra: Record<string, unknown> = {}) =>
    createClientWith({ ...base, transport, ...extra }, () => transport);
  const data = { amount: 1 };
  const error = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );
  switch (situation) {
    case 'timeout':
      return error(withClockAdvance(clock, 100, client(hanging, { timeoutMs: 100 }).predict('fraud-score', data)));
    case 'deadline_exceeded':
      return error(withClockAdvance(clock, 50, client(hanging, { timeoutMs: 100, deadlineMs: 50 }).predict('fraud-score', data)));
    case 'connection':
      return error(client(refused).predict('fraud-score', data));
    case 'aborted': {
      const controller = new AbortController();
      const call = error(client(hanging).predict('fraud-score', data, { signal: controller.signal }));
      for (let i = 0; i < 10; i++) await Promise.resolve();
      controller.abort();
      return call;
    }
    case 'circuit_open': {
      const failing = client(async () => ({ status: 503, headers: {}, body: '' }), { breaker: { consecutiveFailures: 1 } });
      await error(failing.predict('fraud-score', data));
      return error(failing.predict('fraud-score', data));
    }
    case 'invalid_input':
      return error(client(async () => ({ status: 200, headers: {}, body: OK_BODY })).predict('Not A Model Name', data));
    case 'response_too_large': {
      // Through the real body reader (ky over a fetch whose answer streams past the limit).
      const big = async () => new Response(OK_BODY.replace('"legit"', `"${'x'.repeat(200)}"`), { status: 200 });
      return error(client(kyTransport(big as typeof fetch), { maxResponseBytes: 100 }).predict('fraud-score', data));
    }
    case 'input_too_large':
      return error(client(async () => ({ status: 200, headers: {}, body: OK_BODY }), { maxInputBytes: 8 }).predict('fraud-score', data));
  }
}
