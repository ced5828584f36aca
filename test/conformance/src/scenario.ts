import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ExpectedMetric, ExpectedSpan } from './telemetry.js';

/** Where the scenario files, their schema and the skip lists live. */
export const CONFORMANCE_DIR = fileURLToPath(new URL('../', import.meta.url));

/** What a call step expects (see scenario.schema.json `#/definitions/expect`). */
export interface Expect {
  outcome: 'ok' | 'error';
  error_kind?: string;
  error_code?: string;
  http_status?: number | null;
  idp_status?: number | null;
  oauth_error?: string | null;
  retry_after_ms?: number;
  field_errors?: { field: string; message?: string }[];
  attempts?: number;
  cached?: boolean;
  stale?: boolean;
  fallback?: { from: string; to: string; reason: string } | null;
  low_confidence?: boolean;
  model_name?: string;
  model_version?: string;
  request_id?: string;
  result?: unknown;
  result_has?: string[];
  job_state?: string;
  job_state_in?: string[];
  accepted?: boolean;
  /** The feedback receipt's id. */
  feedback_id?: string;
  elapsed_ms_min?: number;
  elapsed_ms_max?: number;
  /** A substring the error's message must contain (case-insensitive). */
  error_message_contains?: string;
  /** A substring the error's message must not contain (case-insensitive), e.g. a base URL's password. */
  error_message_excludes?: string;
  /** Exactly the events emitted while the call ran, in order; listed keys only (snake_case). */
  events?: ExpectedEvent[];
  /** Telemetry scenarios: the span trees the call made (README "Telemetry scenarios"). */
  spans?: ExpectedSpan[];
  spans_parent?: 'step' | 'traceparent_option';
  wire?: 'attempt_spans';
}

/** One expected event (docs/semantics.md, Events): `type` plus any of its snake_case fields. */
export type ExpectedEvent = { type: string } & Record<string, unknown>;

/** A call step. */
export interface CallStep {
  call:
    | 'predict'
    | 'submit_job'
    | 'get_job'
    | 'cancel_job'
    | 'wait_for_job'
    | 'feedback'
    | 'model_info'
    | 'list_models'
    | 'health'
    | 'model_health';
  model?: string;
  data?: unknown;
  job_id?: string;
  feedback?: Record<string, unknown>;
  options?: Record<string, unknown>;
  save_as?: string;
  note?: string;
  expect: Expect;
}

/** An expectation on the mock server's request log. */
export interface Observation {
  note?: string;
  method?: string;
  path?: string;
  paths?: string[];
  count?: number;
  count_min?: number;
  count_max?: number;
  same?: string[];
  distinct?: string[];
  distinct_between_paths?: string[];
  present?: string[];
  absent?: string[];
  equals?: Record<string, unknown>;
  matches?: Record<string, string>;
}

/** Any step of a scenario. */
export type Step =
  | CallStep
  | { concurrent: CallStep[]; note?: string }
  | { sleep_ms: number; note?: string }
  | { reset_requests: true; note?: string }
  | { set_token: string; note?: string }
  | { server: unknown; note?: string }
  | { breaker_state: { model: string; version?: string | null; expect: 'closed' | 'open' | 'half-open' }; note?: string }
  | { observe: Observation[]; note?: string }
  | { event_counts: Record<string, number>; note?: string }
  | { tamper: string; note?: string };

/** One scenario file. */
export interface Scenario {
  name: string;
  description: string;
  covers?: string[];
  server?: unknown;
  client: Record<string, unknown>;
  steps: Step[];
  observe?: Observation[];
  /** Telemetry scenarios: metric data points checked after the last step. */
  metrics?: ExpectedMetric[];
}

/**
 * The JSON Schema every scenario must satisfy (`scenario.schema.json`).
 *
 * @example
 * new Ajv().compile(loadSchema());
 */
export function loadSchema(): object {
  return JSON.parse(readFileSync(`${CONFORMANCE_DIR}scenario.schema.json`, 'utf8')) as object;
}

/**
 * Compiles the scenario schema; returns a validator that gives the list of problems (empty = valid).
 *
 * @example
 * const validate = scenarioValidator();
 * validate({ name: 'x' }); // ['must have required property ...']
 */
export function scenarioValidator(): (scenario: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(loadSchema());
  return (scenario) => (validate(scenario) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}

/**
 * Every scenario in `scenarios/`, sorted by file name, with its file name.
 *
 * @example
 * for (const { file, scenario } of loadScenarios()) console.log(file, scenario.steps.length);
 */
export function loadScenarios(): { file: string; scenario: Scenario }[] {
  const dir = `${CONFORMANCE_DIR}scenarios/`;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, scenario: JSON.parse(readFileSync(dir + file, 'utf8')) as Scenario }));
}

/**
 * The skip list of one language (`skip/<language>.json`: `{ "<scenario>": "<reason>" }`).
 *
 * @example
 * loadSkipList('typescript'); // { 'some-scenario': 'client bug: …' }
 */
export function loadSkipList(language: string): Record<string, string> {
  return JSON.parse(readFileSync(`${CONFORMANCE_DIR}skip/${language}.json`, 'utf8')) as Record<string, string>;
}
