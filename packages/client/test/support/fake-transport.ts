import type { HttpRequest, HttpResponse, Transport } from '../../src/transport/transport.js';

/** A scripted in-memory transport: answers in order, records requests. `hang` never answers until aborted. */
export function fakeTransport(...answers: Array<Partial<HttpResponse> & { json?: unknown; fail?: Error; hang?: boolean }>) {
  const requests: HttpRequest[] = [];
  const queue = [...answers];
  const transport: Transport = (req) => {
    requests.push(req);
    const next = queue.shift() ?? {};
    if (next.hang) {
      return new Promise((_, reject) => req.signal.addEventListener('abort', () => reject(req.signal.reason), { once: true }));
    }
    if (next.fail) return Promise.reject(next.fail);
    const status = next.status ?? 200;
    const body =
      next.body ??
      JSON.stringify(
        next.json ??
          (status < 300
            ? successEnvelope(req.headers['x-request-id'], { label: 'ok', confidence: 0.9 })
            : { status: 'error', code: 'X', message: `status ${status}`, request_id: req.headers['x-request-id'], trace_id: 't' }),
      );
    return Promise.resolve({ status, headers: next.headers ?? {}, body });
  };
  return { transport, requests, queue };
}

/** `n` copies of an answer. */
export function times<T>(n: number, answer: T): T[] {
  return Array.from({ length: n }, () => answer);
}

/** A contract success envelope for a prediction. */
export function successEnvelope(requestId: string | undefined, result: Record<string, unknown> = {}) {
  return { status: 'success', code: 'OK', message: 'ok', request_id: requestId, trace_id: 't', model: { name: 'm', version: '1' }, result };
}

/**
 * A transport whose answers wait until `release()`: for coalescing tests. Records the calls and the
 * signal the (shared) call was sent with.
 */
export function gatedTransport(result: Record<string, unknown> = {}) {
  const gate = { calls: 0, signal: undefined as AbortSignal | undefined, release: () => {} };
  const transport: Transport = async (req) => {
    gate.calls++;
    gate.signal = req.signal;
    await new Promise<void>((r) => {
      gate.release = r;
    });
    return { status: 200, headers: {}, body: JSON.stringify(successEnvelope(req.headers['x-request-id'], result)) };
  };
  return { transport, gate };
}
