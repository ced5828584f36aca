import { type AuthConfig, DEFAULT_JOB_LIFECYCLE, type JobLifecycle, type MockState, validateWithSchema } from '@modelwire/msw';
import type { RequestLog } from './request-log.js';
import type { ScriptBook, ScriptedRoute } from './script.js';

/**
 * The body of `POST /__admin/scenario`. `routes` replace the loaded scripts; `auth` and `jobs`, when
 * present, replace the auth config and the job lifecycle (absent = unchanged).
 *
 * @example
 * const scenario: Scenario = { routes: [{ method: 'POST', path: '/v1/models/fraud-score/predict', responses: [{ status: 503 }] }], auth: { tokens: ['t-alice'] } };
 */
export interface Scenario {
  routes?: ScriptedRoute[];
  auth?: AuthConfig | null;
  /** Extension: how jobs end and the secret callbacks are signed with. */
  jobs?: { outcome?: JobLifecycle['outcome']; polls_per_state?: number; webhook_secret?: string } | null;
}

const SCENARIO_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    routes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['method', 'path', 'responses'],
        additionalProperties: false,
        properties: {
          method: { type: 'string', pattern: '^[A-Za-z]+$' },
          path: { type: 'string', pattern: '^/' },
          then: { enum: ['passthrough', 'repeat_last'] },
          responses: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              properties: {
                status: { type: 'integer', minimum: 100, maximum: 599 },
                headers: { type: 'object', additionalProperties: { type: 'string' } },
                body: {},
                raw_body: { type: 'string' },
                delay_ms: { type: 'number', minimum: 0, maximum: 600000 },
                reset: { type: 'boolean' },
                body_parts: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['text'],
                    additionalProperties: false,
                    properties: { text: { type: 'string' }, times: { type: 'integer', minimum: 1, maximum: 100000000 } },
                  },
                },
                chunk_bytes: { type: 'integer', minimum: 1 },
                chunk_interval_ms: { type: 'number', minimum: 0, maximum: 60000 },
                stall_after_bytes: { type: 'integer', minimum: 0 },
                raw_response: { type: 'string', pattern: '^[\\u0000-\\u00ff]*$' },
              },
            },
          },
        },
      },
    },
    auth: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        tokens: {
          type: 'array',
          items: {
            oneOf: [
              { type: 'string', minLength: 1 },
              {
                type: 'object',
                required: ['token'],
                additionalProperties: false,
                properties: { token: { type: 'string', minLength: 1 }, scopes: { type: 'array', items: { type: 'string' } } },
              },
            ],
          },
        },
        oidc_clients: {
          type: 'array',
          items: {
            type: 'object',
            required: ['client_id'],
            additionalProperties: false,
            properties: {
              client_id: { type: 'string', minLength: 1 },
              client_secret: { type: 'string' },
              token_ttl_s: { type: 'number', exclusiveMinimum: 0 },
              scopes: { type: 'array', items: { type: 'string' } },
              auth_method: { enum: ['client_secret_post', 'client_secret_basic', 'private_key_jwt'] },
              jwks: {
                type: 'object',
                required: ['keys'],
                properties: { keys: { type: 'array', items: { type: 'object', required: ['kty'] } } },
              },
            },
          },
        },
      },
    },
    jobs: {
      type: ['object', 'null'],
      additionalProperties: false,
      properties: {
        outcome: { enum: ['succeeded', 'failed'] },
        polls_per_state: { type: 'integer', minimum: 1 },
        webhook_secret: { type: 'string', minLength: 1 },
      },
    },
  },
} as const;

/** What the admin API answers: a status and an optional JSON body. */
export interface AdminAnswer {
  status: number;
  body?: unknown;
}

/** Everything the admin API can change. */
export interface AdminTargets {
  scripts: ScriptBook;
  log: RequestLog;
  state: MockState;
}

/**
 * Handles `/__admin/*`: `POST reset`, `POST scenario`, `GET requests`, and the extension `GET callbacks`.
 *
 * @example
 * handleAdmin('POST', '/__admin/reset', '', targets); // { status: 204 }
 */
export function handleAdmin(method: string, path: string, rawBody: string, targets: AdminTargets): AdminAnswer {
  const route = `${method} ${path}`;
  if (route === 'POST /__admin/reset') {
    targets.scripts.clear();
    targets.log.clear();
    targets.state.reset();
    return { status: 204 };
  }
  if (route === 'GET /__admin/requests') return { status: 200, body: { requests: targets.log.entries } };
  if (route === 'GET /__admin/callbacks') return { status: 200, body: { callbacks: targets.state.jobs.callbacks } };
  if (route === 'POST /__admin/scenario') {
    let scenario: unknown;
    try {
      scenario = JSON.parse(rawBody || '{}');
    } catch {
      return { status: 400, body: { error: 'scenario body is not valid JSON' } };
    }
    const errors = validateWithSchema(SCENARIO_SCHEMA, scenario);
    if (errors) {
      const detail = errors.map((e) => `${e.field || '/'} ${e.message}`).join('; ');
      return { status: 400, body: { error: `invalid scenario: ${detail} (see docs/semantics.md, "Mock server admin API")` } };
    }
    const loaded = scenario as Scenario;
    targets.scripts.load(loaded.routes ?? []);
    if (loaded.auth !== undefined) targets.state.auth.configure(loaded.auth);
    if (loaded.jobs !== undefined) {
      const jobs = loaded.jobs ?? {};
      const lifecycle: JobLifecycle = { ...DEFAULT_JOB_LIFECYCLE };
      if (jobs.outcome) lifecycle.outcome = jobs.outcome;
      if (jobs.polls_per_state) lifecycle.pollsPerState = jobs.polls_per_state;
      if (jobs.webhook_secret) lifecycle.webhookSecret = jobs.webhook_secret;
      targets.state.jobs.lifecycle = lifecycle;
    }
    return { status: 204 };
  }
  return {
    status: 404,
    body: { error: `no admin route ${route}: use POST /__admin/reset, POST /__admin/scenario, GET /__admin/requests` },
  };
}
