/**
 * JSON Schemas of the request envelopes (mirrors `PredictRequest`, `JobRequest`, `FeedbackRequest`
 * of the contract; the contract test checks the examples of the contract against them).
 */

const requestId = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[!-~]{1,128}$' } as const;
const meta = {
  type: 'object',
  additionalProperties: true,
  properties: { input_digest: { type: 'string', pattern: '^[0-9a-f]{64}$' }, client: { type: 'string' } },
} as const;

/** `PredictRequest`. @example validateWithSchema(PREDICT_REQUEST_SCHEMA, { request_id: 'r', data: {} }); // null */
export const PREDICT_REQUEST_SCHEMA = {
  type: 'object',
  required: ['request_id', 'data'],
  properties: { request_id: requestId, data: { type: 'object' }, meta },
} as const;

/** `JobRequest`. @example validateWithSchema(JOB_REQUEST_SCHEMA, { request_id: 'r', data: {}, callback_url: 'x' }); // [...] */
export const JOB_REQUEST_SCHEMA = {
  type: 'object',
  required: ['request_id', 'data'],
  properties: { request_id: requestId, data: { type: 'object' }, meta, callback_url: { type: 'string', format: 'uri' } },
} as const;

/** `FeedbackRequest`. @example validateWithSchema(FEEDBACK_REQUEST_SCHEMA, { request_id: 'r', score: 1 }); // null */
export const FEEDBACK_REQUEST_SCHEMA = {
  type: 'object',
  required: ['request_id'],
  properties: {
    request_id: requestId,
    label: { type: 'string' },
    outcome: { type: 'string' },
    score: { type: 'number' },
    comment: { type: 'string', maxLength: 2000 },
  },
} as const;
