import { signWebhook } from '@modelwire/client';
import type { Job, JobState, PredictionResult } from './contract.js';
import { successEnvelope } from './envelope.js';
import type { RequestIds } from './ids.js';
import { DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER } from './webhook.js';

/**
 * How mock jobs progress. Jobs advance on reads: every `pollsPerState` reads of `GET …/jobs/{id}`
 * move a job one step along queued → running → `outcome`, so tests never wait on wall time.
 *
 * @example
 * const lifecycle: JobLifecycle = { outcome: 'failed', pollsPerState: 1, webhookSecret: 's3cret' };
 */
export interface JobLifecycle {
  outcome: 'succeeded' | 'failed';
  pollsPerState: number;
  webhookSecret: string;
  /** The error a failed job reports. */
  failure: { code: string; message: string };
}

/** The default lifecycle: succeed after two reads, sign callbacks with {@link DEFAULT_WEBHOOK_SECRET}. */
export const DEFAULT_JOB_LIFECYCLE: JobLifecycle = {
  outcome: 'succeeded',
  pollsPerState: 1,
  webhookSecret: DEFAULT_WEBHOOK_SECRET,
  failure: { code: 'INTERNAL', message: 'model raised an exception' },
};

/** A callback the mock tried to deliver. */
export interface CallbackRecord {
  url: string;
  jobId: string;
  state: JobState;
  signature: string;
  body: string;
  /** HTTP status of the receiver, or `null` when delivery failed. */
  status: number | null;
  error?: string;
}

interface JobRecord {
  job: Job;
  traceId: string;
  callbackUrl?: string;
  reads: number;
  compute: () => PredictionResult;
}

const FINAL: JobState[] = ['succeeded', 'failed', 'canceled', 'expired'];

/** Options of {@link JobStore}. */
export interface JobStoreOptions {
  now: () => number;
  fetch: () => typeof fetch;
  lifecycle?: Partial<JobLifecycle>;
}

/**
 * The mock's jobs: creation (idempotent per `Idempotency-Key`), read-driven progress, cancel, and
 * signed callbacks when a job reaches a final state.
 *
 * @example
 * const store = new JobStore({ now: Date.now, fetch: () => fetch });
 * const { job } = store.create({ model: 'sentiment', version: '1', ids, compute: () => ({ label: 'positive' }) });
 */
export class JobStore {
  lifecycle: JobLifecycle;
  readonly callbacks: CallbackRecord[] = [];
  private readonly jobs = new Map<string, JobRecord>();
  private readonly byKey = new Map<string, string>();
  private seq = 0;

  constructor(private readonly options: JobStoreOptions) {
    this.lifecycle = { ...DEFAULT_JOB_LIFECYCLE, ...options.lifecycle };
  }

  /** Forgets every job and callback; restores the lifecycle to `lifecycle`. */
  reset(lifecycle?: Partial<JobLifecycle>): void {
    this.jobs.clear();
    this.byKey.clear();
    this.callbacks.length = 0;
    this.seq = 0;
    this.lifecycle = { ...DEFAULT_JOB_LIFECYCLE, ...this.options.lifecycle, ...lifecycle };
  }

  /** Creates a queued job, or returns the job already created with the same `Idempotency-Key`. */
  create(input: {
    model: string;
    version: string;
    ids: RequestIds;
    compute: () => PredictionResult;
    callbackUrl?: string;
    idempotencyKey?: string | null;
  }): { job: Job; created: boolean } {
    const scopedKey = input.idempotencyKey ? `${input.model}\n${input.idempotencyKey}` : undefined;
    const existing = scopedKey ? this.byKey.get(scopedKey) : undefined;
    if (existing) {
      const record = this.jobs.get(existing);
      if (record) return { job: record.job, created: false };
    }
    this.seq += 1;
    const at = this.timestamp();
    const job: Job = {
      job_id: `job_${String(this.seq).padStart(6, '0')}`,
      model: input.model,
      version: input.version,
      state: 'queued',
      request_id: input.ids.requestId,
      created_at: at,
      updated_at: at,
    };
    this.jobs.set(job.job_id, { job, traceId: input.ids.traceId, callbackUrl: input.callbackUrl, reads: 0, compute: input.compute });
    if (scopedKey) this.byKey.set(scopedKey, job.job_id);
    return { job, created: true };
  }

  /** Reads a job of `model`, advancing it (and delivering its callback when it ends). */
  async read(model: string, jobId: string): Promise<Job | undefined> {
    const record = this.find(model, jobId);
    if (!record) return undefined;
    if (FINAL.includes(record.job.state)) return record.job;
    record.reads += 1;
    if (record.reads % Math.max(1, this.lifecycle.pollsPerState) === 0) {
      if (record.job.state === 'queued') this.move(record, 'running');
      else if (record.job.state === 'running') {
        if (this.lifecycle.outcome === 'succeeded') {
          record.job.result = record.compute();
          this.move(record, 'succeeded');
        } else {
          record.job.error = { ...this.lifecycle.failure };
          this.move(record, 'failed');
        }
        await this.deliver(record);
      }
    }
    return record.job;
  }

  /** Cancels a job: `'not_found'`, `'conflict'` (already final) or the canceled job. */
  async cancel(model: string, jobId: string): Promise<Job | 'not_found' | 'conflict'> {
    const record = this.find(model, jobId);
    if (!record) return 'not_found';
    if (FINAL.includes(record.job.state)) return 'conflict';
    this.move(record, 'canceled');
    await this.deliver(record);
    return record.job;
  }

  private find(model: string, jobId: string): JobRecord | undefined {
    const record = this.jobs.get(jobId);
    return record && record.job.model === model ? record : undefined;
  }

  private move(record: JobRecord, state: JobState): void {
    record.job.state = state;
    record.job.updated_at = this.timestamp();
  }

  private timestamp(): string {
    return new Date(this.options.now()).toISOString();
  }

  /** POSTs the final job to its callback URL, signed; failures are recorded, never thrown. */
  private async deliver(record: JobRecord): Promise<void> {
    if (!record.callbackUrl) return;
    const envelope = successEnvelope({ requestId: record.job.request_id, traceId: record.traceId }, 'OK', `job ${record.job.state}`, {
      result: record.job,
    });
    const body = JSON.stringify(envelope);
    const signature = signWebhook(body, this.lifecycle.webhookSecret, Math.floor(this.options.now() / 1000));
    const entry: CallbackRecord = {
      url: record.callbackUrl,
      jobId: record.job.job_id,
      state: record.job.state,
      signature,
      body,
      status: null,
    };
    this.callbacks.push(entry);
    try {
      const response = await this.options.fetch()(record.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature, 'x-request-id': record.job.request_id },
        body,
        signal: AbortSignal.timeout(5000),
      });
      entry.status = response.status;
      await response.body?.cancel();
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
    }
  }
}
