import { http } from 'msw';
import type { Schemas } from '../contract.js';
import { jsonResponse, successEnvelope } from '../envelope.js';
import { modelInfo } from '../models/registry.js';
import { findModel, simpleRequest } from './common.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `GET /models/{model}/info`: versions with `sha256`, traffic split, input/output JSON Schema, thresholds.
 *
 * @example
 * server.use(modelInfoHandler());
 */
export function modelInfoHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.get(`${ctx.baseUrl}/models/:model/info`, async ({ request, params }) => {
    const ids = await simpleRequest(ctx, request, 'models:read', params.model);
    if (ids instanceof Response) return ids;
    const model = findModel(ctx, params.model, ids);
    if (model instanceof Response) return model;
    const body: Schemas['ModelInfoResponse'] = successEnvelope(ids, 'OK', 'model info', { result: modelInfo(model) });
    return jsonResponse(200, body, ids);
  });
}
