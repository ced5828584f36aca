import { http } from 'msw';
import type { Schemas } from '../contract.js';
import { jsonResponse, successEnvelope } from '../envelope.js';
import { requestIds } from '../ids.js';
import { type HandlerOptions, resolveContext } from './context.js';

function healthHandler(path: string) {
  return http.get(path, ({ request }) => {
    const ids = requestIds(request.headers);
    const body: Schemas['HealthResponse'] = successEnvelope(ids, 'OK', 'ok', { result: { state: 'ok' as const } });
    return jsonResponse(200, body, ids);
  });
}

/**
 * `GET /health/live` (no auth): always 200 `{result: {state: "ok"}}`.
 *
 * @example
 * server.use(healthLiveHandler({ baseUrl: 'http://127.0.0.1:4010/v1' }));
 */
export function healthLiveHandler(options: HandlerOptions = {}) {
  return healthHandler(`${resolveContext(options).baseUrl}/health/live`);
}

/**
 * `GET /health/ready` (no auth): 200 when ready; script 503 NOT_READY with `unavailable(n, { operation: 'healthReady' })`.
 *
 * @example
 * server.use(healthReadyHandler());
 */
export function healthReadyHandler(options: HandlerOptions = {}) {
  return healthHandler(`${resolveContext(options).baseUrl}/health/ready`);
}
