import { canonicalJson } from '../canonical-json.js';

/** What a shared cache entry holds (docs/semantics.md "Fleet mode", pinned by test/vectors/fleet-entries.json). */
export interface FleetEntryFields {
  v: 1;
  model: string;
  version: string | null;
  /** The writer's wall clock, ms since the epoch. */
  stored_at_ms: number;
  ttl_ms: number;
  served_version: string | null;
  /** The request id of the call that got the answer. */
  request_id: string;
  /** The answer's JSON envelope as received. */
  envelope: Record<string, unknown>;
}

/** How a reader judges an entry. */
export type EntryVerdict =
  | { verdict: 'fresh' | 'expired'; entry: FleetEntryFields }
  | { verdict: 'ignored'; reason: 'unparseable' | 'unknown_version' | 'other_model' | 'other_version' | 'bad_mac' };

type Hmac = (key: string, text: string) => string;

/** HMAC-SHA256 (lowercase hex) through Node's crypto, loaded without a static import (the browser build never runs fleet mode). */
const hmacSha256: Hmac = (key, text) => {
  const crypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
    | { createHmac(alg: string, key: string): { update(data: string): { digest(encoding: 'hex'): string } } }
    | undefined;
  if (!crypto) throw new Error('fleet mode needs node:crypto');
  return crypto.createHmac('sha256', key).update(text).digest('hex');
};

/**
 * The entry as stored in Redis: canonical JSON (RFC 8785), with `mac` when entries are authenticated.
 *
 * @example encodeEntry(fields, 'secret') // '{"envelope":{…},"mac":"9f…","model":"fraud-score",…}'
 */
export function encodeEntry(fields: FleetEntryFields, hmacKey: string | undefined): string {
  if (hmacKey === undefined) return canonicalJson(fields);
  return canonicalJson({ ...fields, mac: hmacSha256(hmacKey, canonicalJson(fields)) });
}

/**
 * Judges an entry read from Redis for a call on (model, version): fresh, expired (stale-if-error may
 * serve it) or ignored (never served).
 *
 * @example readEntry(text, { nowMs: Date.now(), model: 'fraud-score', version: null, hmacKey: undefined }).verdict // 'fresh'
 */
export function readEntry(
  text: string,
  call: { nowMs: number; model: string; version: string | null; hmacKey: string | undefined },
): EntryVerdict {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { verdict: 'ignored', reason: 'unparseable' };
  }
  if (!isObject(parsed)) return { verdict: 'ignored', reason: 'unparseable' };
  if (parsed.v !== 1) return { verdict: 'ignored', reason: typeof parsed.v === 'number' ? 'unknown_version' : 'unparseable' };
  const { mac, ...fields } = parsed;
  if (!isEntry(fields)) return { verdict: 'ignored', reason: 'unparseable' };
  if (call.hmacKey !== undefined && (typeof mac !== 'string' || !sameText(mac, hmacSha256(call.hmacKey, canonicalJson(fields))))) {
    return { verdict: 'ignored', reason: 'bad_mac' };
  }
  if (fields.model !== call.model) return { verdict: 'ignored', reason: 'other_model' };
  if (fields.version !== call.version) return { verdict: 'ignored', reason: 'other_version' };
  return { verdict: call.nowMs - fields.stored_at_ms < fields.ttl_ms ? 'fresh' : 'expired', entry: fields };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEntry(value: Record<string, unknown>): value is Record<string, unknown> & FleetEntryFields {
  return (
    typeof value.model === 'string' &&
    (value.version === null || typeof value.version === 'string') &&
    typeof value.stored_at_ms === 'number' &&
    typeof value.ttl_ms === 'number' &&
    (value.served_version === null || typeof value.served_version === 'string') &&
    typeof value.request_id === 'string' &&
    isObject(value.envelope)
  );
}

/** Constant-time comparison of two hex strings. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
