import { type AuthConfig, AuthRegistry } from './auth.js';
import { type JobLifecycle, JobStore } from './jobs.js';
import { defaultModels } from './models/registry.js';
import type { ModelSpec } from './models/types.js';

/** A feedback the mock recorded. */
export interface FeedbackRecord {
  feedback_id: string;
  model: string;
  body: Record<string, unknown>;
}

/**
 * Everything the handlers remember between requests: models, auth, jobs, feedback.
 * One state can back many handler sets; `reset()` returns it to the start.
 *
 * @example
 * const state = createMockState({ auth: { tokens: ['t-alice'] } });
 * const handlers = createModelwireHandlers({ state });
 */
export interface MockState {
  models: ModelSpec[];
  auth: AuthRegistry;
  jobs: JobStore;
  feedback: FeedbackRecord[];
  now: () => number;
  /** Clears jobs, feedback and issued tokens, and sets the auth config (none by default). */
  reset(options?: { auth?: AuthConfig | null; jobs?: Partial<JobLifecycle> }): void;
}

/** Options of {@link createMockState}. */
export interface MockStateOptions {
  models?: ModelSpec[];
  auth?: AuthConfig;
  jobs?: Partial<JobLifecycle>;
  /** Clock in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** The fetch used for job callbacks (default: the global `fetch` at call time, so msw can intercept it). */
  fetch?: typeof fetch;
}

/**
 * Creates the mock's state.
 *
 * @example
 * const state = createMockState({ jobs: { outcome: 'failed' } });
 */
export function createMockState(options: MockStateOptions = {}): MockState {
  const now = options.now ?? (() => Date.now());
  const auth = new AuthRegistry(now);
  auth.configure(options.auth);
  const jobs = new JobStore({ now, fetch: () => options.fetch ?? globalThis.fetch, lifecycle: options.jobs });
  const state: MockState = {
    models: options.models ?? defaultModels(),
    auth,
    jobs,
    feedback: [],
    now,
    reset(resetOptions = {}) {
      auth.configure(resetOptions.auth === undefined ? null : resetOptions.auth);
      jobs.reset(resetOptions.jobs);
      state.feedback.length = 0;
    },
  };
  return state;
}
