import { canonicalJson } from './canonical-json.js';
import { sha256Hex } from './internal/sha256.js';

/** The parts of a prediction that decide whether two calls may share an answer. */
export interface CacheKeyParts {
  model: string;
  version?: string | null;
  scope: string;
  data: unknown;
}

/**
 * The cache key every SDK computes identically: SHA-256 hex of the RFC 8785 canonical JSON of
 * `{model, version, scope, data}`. Also sent as `meta.input_digest`.
 *
 * @example
 * cacheKey({ model: 'fraud-score', version: null, scope: 'anonymous', data: { amount: 1 } });
 */
export function cacheKey(parts: CacheKeyParts): string {
  return cacheKeyOfCanonicalData(parts.model, parts.version ?? undefined, parts.scope, canonicalJson(parts.data));
}

/**
 * The same key from `data` that is already canonical JSON, so a call canonicalises its input once
 * (for the key and for the request body). Members are written in RFC 8785 order: data, model,
 * scope, version; `JSON.stringify` escapes strings exactly as RFC 8785 does.
 *
 * @example cacheKeyOfCanonicalData('fraud-score', undefined, 'anonymous', '{"amount":1}') === cacheKey({ model: 'fraud-score', version: null, scope: 'anonymous', data: { amount: 1 } })
 */
export function cacheKeyOfCanonicalData(model: string, version: string | undefined, scope: string, dataJson: string): string {
  const v = version === undefined ? 'null' : JSON.stringify(version);
  return sha256Hex(`{"data":${dataJson},"model":${JSON.stringify(model)},"scope":${JSON.stringify(scope)},"version":${v}}`);
}

/** A credential as far as cache scoping is concerned. */
export type ScopeSource = { token: string } | { oidc: { tokenUrl: string; clientId: string } } | undefined;

/**
 * The cache scope of a credential: two credentials never share cache entries, and no token is kept
 * in clear.
 *
 * @example
 * scopeFor({ token: 't-alice' }); // 'token:3f…'
 * scopeFor(undefined);            // 'anonymous'
 */
export function scopeFor(source: ScopeSource): string {
  if (!source) return 'anonymous';
  if ('token' in source) return `token:${sha256Hex(`token\n${source.token}`)}`;
  return `oidc:${sha256Hex(`oidc\n${source.oidc.tokenUrl}\n${source.oidc.clientId}`)}`;
}
