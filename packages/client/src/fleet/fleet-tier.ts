import type { Clock } from '../clock.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import type { Answer, CallContext } from '../internal/call-context.js';
import { parseResponse } from '../internal/parse-response.js';
import type { FleetCache } from './fleet-cache.js';

/** A shared entry turned back into an answer, with how old it is. */
export interface FleetFound {
  verdict: 'fresh' | 'expired';
  answer: Answer;
  ageMs: number;
}

/**
 * The cache stage's view of the shared cache: answers in, entries out. An entry's envelope is read by the
 * same parser as a response body (tolerant reader, depth limit, read-only result), so an entry planted by
 * anyone with write access can at worst be ignored, never crash a call.
 *
 * @example const tier = new FleetTier(fleet, { ttlMs: 30_000, staleIfError: false, maxJsonDepth: 100 }, clock);
 */
export class FleetTier {
  constructor(
    private readonly fleet: FleetCache,
    private readonly policy: { ttlMs: number; staleIfError: boolean; maxJsonDepth: number },
    private readonly clock: Clock,
  ) {}

  async lookup(key: string, ctx: CallContext): Promise<FleetFound | undefined> {
    if (ctx.model === undefined) return undefined;
    const found = await this.fleet.lookup(key, ctx.model, ctx.version ?? null);
    if (found === undefined || found.verdict === 'ignored') return undefined;
    const { entry } = found;
    const headers: Record<string, string> = entry.served_version === null ? {} : { 'x-model-version': entry.served_version };
    const parsed = parseResponse(
      { status: 200, headers, body: JSON.stringify(entry.envelope) },
      { requestId: entry.request_id, traceId: ctx.traceId, wallMs: this.clock.wallMs(), maxJsonDepth: this.policy.maxJsonDepth },
    );
    if (parsed instanceof ModelwireError) return undefined;
    return { verdict: found.verdict, answer: parsed, ageMs: Math.max(0, this.clock.wallMs() - entry.stored_at_ms) };
  }

  store(key: string, answer: Answer, ctx: CallContext): void {
    if (ctx.model === undefined) return;
    const envelope = answer.envelope as Record<string, unknown>;
    this.fleet.store(
      key,
      {
        model: ctx.model,
        version: ctx.version ?? null,
        ttl_ms: this.policy.ttlMs,
        served_version: answer.servedVersion ?? null,
        request_id: typeof envelope.request_id === 'string' ? envelope.request_id : ctx.requestId,
        envelope,
      },
      this.policy.staleIfError,
    );
  }
}
