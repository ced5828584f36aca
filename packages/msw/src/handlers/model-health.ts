import { http } from 'msw';
import type { Schemas } from '../contract.js';
import { jsonResponse, successEnvelope } from '../envelope.js';
import { modelHealth } from '../models/registry.js';
import { findModel, simpleRequest } from './common.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `GET /models/{model}/health`: readiness of a model and of each version (404 for an unknown model).
 *
 * @example
 * server.use(modelHealthHandler());
 */
export function modelHealthHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.get(`${ctx.baseUrl}/models/:model/health`, async ({ request, params }) => {
    const ids = await simpleRequest(ctx, request, 'models:read', params.model);
    if (ids instanceof Response) return ids;
    const model = findModel(ctx, params.model, ids);
    if (model instanceof Response) return model;
    const body: Schemas['ModelHealthResponse'] = successEnvelope(ids, 'OK', 'ready', { result: modelHealth(model) });
    return jsonResponse(200, body, ids);
  });
}
