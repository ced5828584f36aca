/**
 * The contract's types, taken from the generated `@modelwire/client` contract
 * (`packages/client/src/generated/contract.ts`, produced by `scripts/generate-ts.mjs`).
 * Every envelope the mock builds is typed against these, so a contract change that breaks
 * the mock breaks its type check.
 *
 * @example
 * import type { Schemas } from '@modelwire/msw';
 * const ok: Schemas['Health'] = { state: 'ok' };
 */
import type { components, operations } from '../../client/src/generated/contract.js';

/** Every schema of `components.schemas`. @example type E = Schemas['ErrorEnvelope']; */
export type Schemas = components['schemas'];
/** Every operation of the contract, by `operationId`. @example type P = Operations['predict']; */
export type Operations = operations;
/** The error envelope. @example const e: ErrorEnvelope = { status: 'error', code: 'NOT_FOUND', message: 'x', request_id: 'r', trace_id: 't' }; */
export type ErrorEnvelope = Schemas['ErrorEnvelope'];
/** A stable error code. @example const c: ErrorCode = 'RATE_LIMITED'; */
export type ErrorCode = Schemas['ErrorCode'];
/** One field error of a 422. @example const f: FieldError = { field: '/amount', message: 'must be number' }; */
export type FieldError = Schemas['FieldError'];
/** A model's prediction. @example const r: PredictionResult = { label: 'legit', score: 0.1 }; */
export type PredictionResult = Schemas['PredictionResult'];
/** A job. @example type S = Job['state']; */
export type Job = Schemas['Job'];
/** A job's state. @example const s: JobState = 'running'; */
export type JobState = Schemas['JobState'];
/** Everything `/models/{m}/info` returns. @example type T = ModelInfo['thresholds']; */
export type ModelInfo = Schemas['ModelInfo'];
/** Success envelope of predict. @example type M = PredictResponse['model']; */
export type PredictResponse = Schemas['PredictResponse'];
