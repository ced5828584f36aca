import { resolveContext } from '../handlers/context.js';
import { cancelJobHandler, getJobHandler, submitJobHandler } from '../handlers/jobs.js';
import { type JobLifecycle, JobStore } from '../jobs.js';
import type { MockState } from '../state.js';

/** Options of {@link jobLifecycle}. */
export interface JobLifecycleOptions extends Partial<JobLifecycle> {
  baseUrl?: string;
  state?: MockState;
}

/**
 * Job handlers with their own lifecycle: every `pollsPerState` reads move a job queued → running →
 * `outcome` ('succeeded' with the model's result, or 'failed'); on the final state the mock POSTs
 * the job to `callback_url` signed with `X-Modelwire-Signature` (HMAC-SHA256 with `webhookSecret`).
 * `handlers.store.callbacks` lists what was delivered.
 *
 * @example
 * const jobs = jobLifecycle({ outcome: 'failed', webhookSecret: 's3cret' });
 * server.use(...jobs);
 */
export function jobLifecycle(options: JobLifecycleOptions = {}) {
  const { baseUrl, state, ...lifecycle } = options;
  const ctx = resolveContext({ baseUrl, state });
  const store = new JobStore({ now: ctx.state.now, fetch: () => globalThis.fetch, lifecycle });
  const handlers = [submitJobHandler({ ...ctx, store }), getJobHandler({ ...ctx, store }), cancelJobHandler({ ...ctx, store })];
  return Object.assign(handlers, { store });
}
