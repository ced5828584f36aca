import { http } from 'msw';
import { readBody } from '../body.js';
import type { Schemas } from '../contract.js';
import { errorResponse, jsonResponse, successEnvelope } from '../envelope.js';
import { requestIds } from '../ids.js';
import { FEEDBACK_REQUEST_SCHEMA } from '../request-schemas.js';
import { validateWithSchema } from '../validate.js';
import { authorize, findModel, refuseIdempotencyKey } from './common.js';
import { type HandlerOptions, resolveContext } from './context.js';

/**
 * `POST /models/{model}/feedback`: records `{request_id, label?, outcome?, score?, comment?}` → 202;
 * 400 bad JSON, 404 unknown model, 422 when the body does not match `FeedbackRequest`.
 *
 * @example
 * server.use(feedbackHandler());
 */
export function feedbackHandler(options: HandlerOptions = {}) {
  const ctx = resolveContext(options);
  return http.post(`${ctx.baseUrl}/models/:model/feedback`, async ({ request, params }) => {
    const read = await readBody(request);
    const ids = requestIds(request.headers, read.kind === 'json' ? read.value : undefined);
    const denied = await authorize(ctx, request, ids, 'feedback:write', params.model);
    if (denied) return denied;
    const badKey = refuseIdempotencyKey(request, ids);
    if (badKey) return badKey;
    if (read.kind === 'unlabelled') return errorResponse(415, ids, 'send the body as Content-Type: application/json');
    if (read.kind !== 'json') return errorResponse(400, ids, 'body is not valid JSON: send {"request_id", "label", …}');
    const model = findModel(ctx, params.model, ids);
    if (model instanceof Response) return model;
    const errors = validateWithSchema(FEEDBACK_REQUEST_SCHEMA, read.value);
    if (errors) return errorResponse(422, ids, 'feedback does not match FeedbackRequest', { errors });
    const feedbackId = `fb_${String(ctx.state.feedback.length + 1).padStart(6, '0')}`;
    ctx.state.feedback.push({ feedback_id: feedbackId, model: model.name, body: read.value as Record<string, unknown> });
    const body: Schemas['FeedbackResponse'] = successEnvelope(ids, 'ACCEPTED', 'feedback recorded', {
      result: { feedback_id: feedbackId, accepted: true },
    });
    return jsonResponse(202, body, ids);
  });
}
