import { isDeepStrictEqual } from 'node:util';
import { type TokenState, toTsOptions } from './client-options.js';
import { checkEventCounts, checkEvents, type SnakeEvent, toSnakeEvent } from './events.js';
import type { MockAdmin } from './mock-admin.js';
import { checkObservation } from './observe.js';
import type { CallStep, Expect, Observation, Scenario, Step } from './scenario.js';
import { TelemetryRun } from './telemetry.js';

/** The slice of the TypeScript client the runner drives (see packages/client). */
export interface ClientUnderTest {
  predict(model: string, data: unknown, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
  submitJob(model: string, data: unknown, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
  getJob(model: string, jobId: string): Promise<Record<string, unknown>>;
  cancelJob(model: string, jobId: string): Promise<Record<string, unknown>>;
  waitForJob(model: string, jobId: string, options?: Record<string, unknown>): Promise<Record<string, unknown>>;
  feedback(model: string, feedback: Record<string, unknown>): Promise<Record<string, unknown>>;
  modelInfo(model: string): Promise<unknown>;
  listModels(): Promise<unknown>;
  health(): Promise<unknown>;
  modelHealth(model: string): Promise<unknown>;
  breakerState(model: string, version?: string): string;
  close?: () => unknown;
}

/** Everything a scenario run needs from the outside. */
export interface RunContext {
  admin: MockAdmin;
  /** Mock origin, e.g. `http://127.0.0.1:43121` (placeholder `${origin}`). */
  origin: string;
  /** API base, e.g. `http://127.0.0.1:43121/v1` (placeholder `${api}`). */
  apiUrl: string;
  createClient: (options: Record<string, unknown>) => ClientUnderTest;
  /** Deep-merged into the scenario's client options (only the "prove the suite bites" experiment uses it). */
  override?: Record<string, unknown>;
}

/** What a call produced, in the scenario's language-neutral (snake_case) terms. */
type Outcome = Record<string, unknown> & { outcome: 'ok' | 'error' };

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const cur = out[k];
    // A scenario that turned a policy off (`false`) keeps it off: overrides only tune what is on.
    if (cur === false) continue;
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object'
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

/** Replaces `${origin}`, `${api}` and `${saved.field}` in every string of a step. */
function substitute<T>(value: T, vars: Record<string, unknown>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{([a-z_][a-z0-9_]*)(?:\.([a-z_]+))?\}/g, (whole, name: string, field?: string) => {
      const v = vars[name];
      const got = field ? (v as Record<string, unknown> | undefined)?.[field] : v;
      if (got === undefined) throw new Error(`unknown placeholder ${whole}`);
      return String(got);
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)])) as T;
  }
  return value;
}

function errorOutcome(e: unknown): Outcome {
  const err = e as Record<string, unknown> & Error;
  const kind = typeof err?.kind === 'string' ? err.kind : typeof err?.name === 'string' ? err.name.replace(/Error$/, '') : String(e);
  return {
    outcome: 'error',
    error_kind: kind,
    error_code: err?.code,
    // Absent fields are null, as the scenarios write "no such status".
    http_status: err?.httpStatus ?? null,
    idp_status: err?.idpStatus ?? null,
    oauth_error: err?.oauthError ?? null,
    retry_after_ms: err?.retryAfterMs,
    attempts: err?.attempts,
    field_errors: err?.errors,
    message: err?.message,
  };
}

function okOutcome(call: CallStep['call'], r: Record<string, unknown> | undefined): Outcome {
  const out: Outcome = { outcome: 'ok' };
  if (!r || typeof r !== 'object') return out;
  if (call === 'predict') {
    const model = r.model as { name?: string; version?: string } | undefined;
    Object.assign(out, {
      attempts: r.attempts,
      cached: r.cached,
      stale: r.stale,
      fallback: r.fallback ?? null,
      low_confidence: r.lowConfidence,
      model_name: model?.name,
      model_version: model?.version,
      request_id: r.requestId,
      trace_id: r.traceId,
      result: r.result,
    });
  } else if (call === 'feedback') {
    Object.assign(out, { accepted: r.accepted, feedback_id: r.feedbackId });
  } else if (call === 'submit_job' || call === 'get_job' || call === 'cancel_job' || call === 'wait_for_job') {
    Object.assign(out, { job_id: r.jobId, job_state: r.state, request_id: r.requestId, result: r.result });
  } else if (call === 'model_info' || call === 'health' || call === 'model_health') {
    // These answers are the contract's objects, in its own field names.
    out.result = r;
  }
  return out;
}

/** `expected` is a deep subset of `actual` (objects: listed keys only; arrays and scalars: equal). */
function isSubset(expected: unknown, actual: unknown): boolean {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(expected).every(([k, v]) => isSubset(v, (actual as Record<string, unknown>)[k]));
  }
  return isDeepStrictEqual(expected, actual);
}

const show = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

function checkExpect(label: string, e: Expect, got: Outcome, elapsedMs: number): string[] {
  const p: string[] = [];
  const where = `${label}`;
  if (got.outcome !== e.outcome) {
    const detail = got.outcome === 'error' ? ` (${got.error_kind} ${got.error_code ?? ''}: ${got.message})` : '';
    p.push(`${where}: expected outcome ${e.outcome}, got ${got.outcome}${detail}`);
    return p;
  }
  const scalar = [
    'error_kind',
    'error_code',
    'http_status',
    'idp_status',
    'oauth_error',
    'retry_after_ms',
    'attempts',
    'cached',
    'stale',
    'low_confidence',
    'model_name',
    'model_version',
    'request_id',
    'job_state',
    'accepted',
    'feedback_id',
  ] as const;
  for (const key of scalar) {
    if (e[key] !== undefined && got[key] !== e[key]) p.push(`${where}: ${key} expected ${show(e[key])}, got ${show(got[key])}`);
  }
  if (e.fallback !== undefined && !isDeepStrictEqual(got.fallback ?? null, e.fallback)) {
    p.push(`${where}: fallback expected ${show(e.fallback)}, got ${show(got.fallback)}`);
  }
  if (e.field_errors) {
    const actual = (got.field_errors ?? []) as unknown[];
    for (const fe of e.field_errors) {
      if (!actual.some((a) => isSubset(fe, a))) p.push(`${where}: field error ${show(fe)} not in ${show(actual)}`);
    }
  }
  if (e.result !== undefined && !isSubset(e.result, got.result)) p.push(`${where}: result ${show(got.result)} lacks ${show(e.result)}`);
  for (const key of e.result_has ?? []) {
    const r = got.result as Record<string, unknown> | undefined;
    if (!r || r[key] === undefined) p.push(`${where}: result lacks "${key}": ${show(r)}`);
  }
  if (e.job_state_in && !e.job_state_in.includes(got.job_state as string)) {
    p.push(`${where}: job_state ${show(got.job_state)} not in ${show(e.job_state_in)}`);
  }
  const message = typeof got.message === 'string' ? got.message.toLowerCase() : '';
  if (e.error_message_contains !== undefined && !message.includes(e.error_message_contains.toLowerCase())) {
    p.push(`${where}: error message ${show(got.message)} lacks ${show(e.error_message_contains)}`);
  }
  if (e.error_message_excludes !== undefined && message.includes(e.error_message_excludes.toLowerCase())) {
    p.push(`${where}: error message ${show(got.message)} contains ${show(e.error_message_excludes)}`);
  }
  if (e.elapsed_ms_min !== undefined && elapsedMs < e.elapsed_ms_min)
    p.push(`${where}: took ${elapsedMs} ms, expected ≥ ${e.elapsed_ms_min}`);
  if (e.elapsed_ms_max !== undefined && elapsedMs > e.elapsed_ms_max)
    p.push(`${where}: took ${elapsedMs} ms, expected ≤ ${e.elapsed_ms_max}`);
  return p;
}

async function invoke(client: ClientUnderTest, s: CallStep): Promise<Record<string, unknown> | undefined> {
  const { abort_after_ms: abortAfterMs, ...callOptions } = s.options ?? {};
  const opts = s.options ? toTsOptions(callOptions) : undefined;
  if (typeof abortAfterMs === 'number') {
    // A plain abort() (reason AbortError), as a caller cancelling would do; not AbortSignal.timeout.
    const controller = new AbortController();
    setTimeout(() => controller.abort(), abortAfterMs).unref?.();
    (opts as Record<string, unknown>).signal = controller.signal;
  }
  const model = s.model as string;
  switch (s.call) {
    case 'predict':
      return client.predict(model, s.data, opts);
    case 'submit_job':
      return client.submitJob(model, s.data, opts);
    case 'get_job':
      return client.getJob(model, s.job_id as string);
    case 'cancel_job':
      return client.cancelJob(model, s.job_id as string);
    case 'wait_for_job':
      return client.waitForJob(model, s.job_id as string, opts);
    case 'feedback':
      return client.feedback(model, toTsOptions(s.feedback ?? {}));
    case 'model_info':
      return (await client.modelInfo(model)) as Record<string, unknown>;
    case 'list_models':
      return (await client.listModels()) as Record<string, unknown>;
    case 'health':
      return (await client.health()) as Record<string, unknown>;
    case 'model_health':
      return (await client.modelHealth(model)) as Record<string, unknown>;
  }
}

/** What one scenario run carries from step to step. */
interface RunState {
  ctx: RunContext;
  client: ClientUnderTest;
  vars: Record<string, unknown>;
  tokens: TokenState;
  problems: string[];
  /** Every event the client emitted, in order, in the scenarios' snake_case terms. */
  events: SnakeEvent[];
  /** Request-log sequence number before which requests are ignored (`reset_requests`). */
  logMark: number;
  /** Index into `events` where the next `event_counts` step starts counting. */
  countMark: number;
  /** Set for telemetry scenarios: the OpenTelemetry SDK side of the run. */
  telemetry: TelemetryRun | undefined;
}

/**
 * Runs one scenario against the mock server and returns every expectation that did not hold (an
 * empty list means the scenario passed).
 *
 * @example
 * const problems = await runScenario(scenario, ctx);
 * expect(problems).toEqual([]);
 */
export async function runScenario(scenario: Scenario, ctx: RunContext): Promise<string[]> {
  const vars: Record<string, unknown> = { origin: ctx.origin, api: ctx.apiUrl };
  await ctx.admin.reset();
  if (scenario.server) await ctx.admin.scenario(substitute(scenario.server, vars));
  const tokens: TokenState = { calls: 0 };
  let clientOptions = substitute(scenario.client, vars);
  if (ctx.override) clientOptions = deepMerge(clientOptions, ctx.override);
  const events: SnakeEvent[] = [];
  const onEvent = (event: object) => events.push(toSnakeEvent(event));
  // Telemetry scenarios run with a real OpenTelemetry SDK; the others with telemetry off, as before.
  const telemetry = scenario.name.startsWith('telemetry-') ? new TelemetryRun() : undefined;
  const telemetryOption = telemetry ? { meterProvider: telemetry.meterProvider } : false;
  const client = ctx.createClient({ ...toTsOptions(clientOptions, ctx.apiUrl, tokens), onEvent, telemetry: telemetryOption });
  const state: RunState = { ctx, client, vars, tokens, problems: [], events, logMark: 0, countMark: 0, telemetry };
  try {
    for (const [i, step] of scenario.steps.entries()) await runStep(state, step as Step, `step ${i + 1}`);
    if (scenario.observe) await observe(state, scenario.observe, 'observe');
    if (telemetry) state.problems.push(...(await telemetry.checkMetrics(substitute(scenario.metrics ?? [], vars))));
  } finally {
    await client.close?.();
  }
  return state.problems;
}

async function runStep(state: RunState, step: Step, label: string): Promise<void> {
  const { ctx, problems } = state;
  if ('call' in step) await runCall(state, step, label, true);
  else if ('concurrent' in step) await Promise.all(step.concurrent.map((c, j) => runCall(state, c, `${label}.${j + 1}`)));
  else if ('sleep_ms' in step) await new Promise((r) => setTimeout(r, step.sleep_ms));
  else if ('reset_requests' in step) {
    const log = await ctx.admin.requests();
    state.logMark = log.reduce((m, r) => Math.max(m, r.seq), state.logMark);
  } else if ('set_token' in step) state.tokens.current = step.set_token;
  else if ('server' in step) await ctx.admin.scenario(substitute(step.server, state.vars));
  else if ('breaker_state' in step) {
    const b = step.breaker_state;
    const got = state.client.breakerState(b.model, b.version ?? undefined);
    if (got !== b.expect) problems.push(`${label}: breaker of ${b.model}@${b.version ?? 'unpinned'} expected ${b.expect}, got ${got}`);
  } else if ('observe' in step) await observe(state, step.observe, label);
  else if ('tamper' in step) tamper(state.vars[step.tamper]);
  else if ('event_counts' in step) {
    problems.push(...checkEventCounts(label, step.event_counts, state.events.slice(state.countMark)));
    state.countMark = state.events.length;
  }
}

async function runCall(state: RunState, raw: CallStep, label: string, alone = false): Promise<void> {
  const s = substitute(raw, state.vars);
  const firstEvent = state.events.length;
  const { telemetry } = state;
  const logMark = alone && s.expect.wire ? await lastSeq(state) : undefined;
  const started = performance.now();
  let got: Outcome;
  let stepSpanId: string | undefined;
  try {
    if (telemetry) {
      const { span, outcome } = await telemetry.inStepSpan(() => invoke(state.client, s));
      stepSpanId = span.spanContext().spanId;
      got = okOutcome(s.call, await outcome);
    } else got = okOutcome(s.call, await invoke(state.client, s));
  } catch (e) {
    got = errorOutcome(e);
  }
  const elapsed = Math.round(performance.now() - started);
  if (s.save_as) state.vars[s.save_as] = got;
  const where = `${label} ${s.call}${s.note ? ` (${s.note})` : ''}`;
  state.problems.push(...checkExpect(where, s.expect, got, elapsed));
  if (s.expect.events) state.problems.push(...checkEvents(where, s.expect.events, state.events.slice(firstEvent)));
  if (s.expect.spans) {
    if (!telemetry || stepSpanId === undefined) throw new Error(`${where}: expect.spans needs a telemetry-* scenario`);
    const parent = s.expect.spans_parent === 'traceparent_option' ? String(s.options?.traceparent).split('-')[2] : stepSpanId;
    if (parent === undefined) throw new Error(`${where}: spans_parent traceparent_option needs options.traceparent`);
    const { problems, clientSpans } = telemetry.checkSpans(where, s.expect.spans, parent);
    state.problems.push(...problems);
    if (logMark !== undefined) {
      const sent = (await state.ctx.admin.requests()).filter((r) => r.seq > logMark);
      state.problems.push(...TelemetryRun.checkWire(where, sent, clientSpans));
    }
  }
}

async function lastSeq(state: RunState): Promise<number> {
  return (await state.ctx.admin.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
}

/**
 * Tries to change a saved call's result the way a careless caller would (overwrite `label`, add
 * `injected`); a result that refuses (frozen: TypeError in strict mode) is what the SDK should do.
 */
function tamper(saved: unknown): void {
  const result = (saved as { result?: unknown } | undefined)?.result;
  if (!result || typeof result !== 'object') throw new Error('tamper: the saved call has no result object');
  const attempts = [() => Object.assign(result, { label: 'TAMPERED' }), () => Object.assign(result, { injected: true })];
  for (const change of attempts) {
    try {
      change();
    } catch {
      // Refused: results are read-only.
    }
  }
}

async function observe(state: RunState, observations: Observation[], label: string): Promise<void> {
  const log = (await state.ctx.admin.requests()).filter((r) => r.seq > state.logMark);
  for (const o of observations) {
    for (const msg of checkObservation(substitute(o, state.vars), log)) state.problems.push(`${label}: ${msg}`);
  }
}
