import { http } from 'msw';
import type { PredictResponse } from '../contract.js';
import { jsonResponse, successEnvelope } from '../envelope.js';
import { PREDICT_REQUEST_SCHEMA } from '../request-schemas.js';
import { acceptInference } from './common.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `POST /models/{model}/predict`: runs the real tiny model of the pinned (`X-Model-Version`) or default
 * version and echoes the served version in `X-Model-Version` and `model.version`.
 * 400 bad JSON/envelope, 401/403 auth, 404 unknown model or version, 413 too large, 422 input schema.
 *
 * @example
 * server.use(predictHandler());
 * await fetch('http://127.0.0.1:4010/v1/models/sentiment/predict', { method: 'POST', body: JSON.stringify({ request_id: 'r1', data: { text: 'great' } }) });
 */
export function predictHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.post(`${ctx.baseUrl}/models/:model/predict`, async ({ request, params }) => {
    const accepted = await acceptInference(ctx, request, params.model, PREDICT_REQUEST_SCHEMA, 'models:predict');
    if (accepted instanceof Response) return accepted;
    const { ids, model, version, data } = accepted;
    const body: PredictResponse = successEnvelope(ids, 'OK', 'prediction', {
      model: { name: model.name, version: version.version },
      result: version.predict(data),
    });
    return jsonResponse(200, body, ids, { 'X-Model-Version': version.version });
  });
}
