import { http } from 'msw';
import type { Schemas } from '../contract.js';
import { jsonResponse, successEnvelope } from '../envelope.js';
import { modelSummary } from '../models/registry.js';
import { simpleRequest } from './common.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `GET /models`: the served models (401 when auth is configured and the token is missing).
 *
 * @example
 * server.use(listModelsHandler());
 */
export function listModelsHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.get(`${ctx.baseUrl}/models`, async ({ request }) => {
    const ids = await simpleRequest(ctx, request, 'models:read');
    if (ids instanceof Response) return ids;
    const models = ctx.state.models.map(modelSummary);
    const body: Schemas['ModelListResponse'] = successEnvelope(ids, 'OK', `${models.length} models`, { result: { models } });
    return jsonResponse(200, body, ids);
  });
}
