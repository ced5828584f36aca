/**
 * `@modelwire/msw`: msw handlers for every operation of the modelwire contract, backed by real tiny
 * deterministic models, plus scenario helpers a QA engineer composes in a test.
 *
 * @packageDocumentation
 *
 * @example
 * import { setupServer } from 'msw/node';
 * import { createModelwireHandlers, unavailable } from '@modelwire/msw';
 * const server = setupServer(...createModelwireHandlers());
 * server.listen();
 * server.use(unavailable(2)); // two 503s, then the real model answers
 * const client = createTestClient(); // a @modelwire/client msw sees, on DEFAULT_BASE_URL
 */
export type { AuthCheck, AuthConfig, AuthNeed, BearerVerifier, ClientAuthMethod, OidcClient, StaticToken, TokenAnswer } from './auth.js';
export { AuthRegistry } from './auth.js';
export { type ReadBody, readBody } from './body.js';
export type {
  ErrorCode,
  ErrorEnvelope,
  FieldError,
  Job,
  JobState,
  ModelInfo,
  Operations,
  PredictionResult,
  PredictResponse,
  Schemas,
} from './contract.js';
export { errorCodeForStatus, errorEnvelope, errorResponse, jsonResponse, successEnvelope } from './envelope.js';
export { MAX_INPUT_BYTES } from './handlers/common.js';
export { DEFAULT_BASE_URL, type HandlerContext, type HandlerOptions, resolveContext } from './handlers/context.js';
export { feedbackHandler } from './handlers/feedback.js';
export { healthLiveHandler, healthReadyHandler } from './handlers/health.js';
export { createModelwireHandlers } from './handlers/index.js';
export { cancelJobHandler, getJobHandler, type JobHandlerOptions, submitJobHandler } from './handlers/jobs.js';
export { listModelsHandler } from './handlers/list-models.js';
export { modelHealthHandler } from './handlers/model-health.js';
export { modelInfoHandler } from './handlers/model-info.js';
export { notFoundHandler } from './handlers/not-found.js';
export { oauthTokenHandler } from './handlers/oauth-token.js';
export { predictHandler } from './handlers/predict.js';
export { type RequestIds, requestIds } from './ids.js';
export { type CallbackRecord, DEFAULT_JOB_LIFECYCLE, type JobLifecycle, JobStore, type JobStoreOptions } from './jobs.js';
export { FRAUD_V1, FRAUD_V2, fraudScore, TRANSACTION_SCHEMA, type TransactionWeights, transactionFeatures } from './models/fraud-score.js';
export { FRAUD_BACKUP_V1, fraudScoreBackup } from './models/fraud-score-backup.js';
export { binaryResult, type LogisticWeights, logisticProbability } from './models/logistic.js';
export { defaultModels, modelHealth, modelInfo, modelSummary, resolveVersion, versionSha256 } from './models/registry.js';
export { SENTIMENT_V1, sentiment, sentimentLogOdds } from './models/sentiment.js';
export type { ModelSpec, ModelVersionSpec } from './models/types.js';
export { FEEDBACK_REQUEST_SCHEMA, JOB_REQUEST_SCHEMA, PREDICT_REQUEST_SCHEMA } from './request-schemas.js';
export {
  connectionReset,
  httpError,
  latency,
  malformedJson,
  rateLimited,
  unavailable,
  unknownVersion,
  validationError,
} from './scenarios/failures.js';
export { type JobLifecycleOptions, jobLifecycle } from './scenarios/job-lifecycle.js';
export { OPERATIONS, type OperationId, type ScenarioTarget, scenarioHandler } from './scenarios/target.js';
export { createMockState, type FeedbackRecord, type MockState, type MockStateOptions } from './state.js';
export { createTestClient, mswFetch } from './test-client.js';
export { toFieldError, validateWithSchema } from './validate.js';
export { DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER } from './webhook.js';
