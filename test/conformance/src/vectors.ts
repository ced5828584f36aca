import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where the language-neutral vectors live (`test/vectors/`). */
export const VECTORS_DIR = fileURLToPath(new URL('../../vectors/', import.meta.url));

/**
 * Reads one vectors file as parsed JSON.
 *
 * @example
 * const { cases } = loadVectors<CanonicalJsonVectors>('canonical-json.json');
 */
export function loadVectors<T>(file: string): T {
  return JSON.parse(readFileSync(VECTORS_DIR + file, 'utf8')) as T;
}

/** `canonical-json.json` (see test/vectors/README.md). */
export interface CanonicalJsonVectors {
  cases: { name: string; input_json: string; canonical: string; sha256: string }[];
  rejected: {
    name: string;
    input_json: string;
    path: (string | number)[];
    special: 'NaN' | 'Infinity' | '-Infinity';
    error_kind: string;
    error_code: string;
  }[];
}

/** `cache-keys.json`. */
export interface CacheKeyVectors {
  cases: {
    name: string;
    model: string;
    version: string | null;
    scope: string;
    data_json: string;
    data: unknown;
    canonical: string;
    key: string;
  }[];
  scopes: {
    name: string;
    auth:
      | null
      | { token: string }
      | { token_provider_returns: string }
      | { oidc: { token_url: string; client_id: string; client_secret: string; scope?: string } };
    cache_scope?: string;
    scope: string;
  }[];
}

/** `webhooks.json`. */
export interface WebhookVectors {
  header_name: string;
  cases: {
    name: string;
    secret: string;
    raw_body: string;
    header: string | null;
    now: number;
    tolerance_seconds: number;
    valid: boolean;
    reason?: 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';
  }[];
}

/** `retry-after.json`. */
export interface RetryAfterVectors {
  cases: {
    name: string;
    header: string;
    now_ms: number;
    cap_ms: number;
    expected: { delay_ms: number; give_up?: true } | { ignored: true };
  }[];
}

/**
 * Builds the value a `rejected` canonical-JSON case describes: `input_json` with the special number
 * (NaN / ±Infinity, which JSON cannot spell) placed at `path`.
 *
 * @example
 * specialValue({ input_json: '{"a":null}', path: ['a'], special: 'NaN' }); // { a: NaN }
 */
export function specialValue(c: { input_json: string; path: (string | number)[]; special: string }): unknown {
  const special = c.special === 'NaN' ? Number.NaN : c.special === 'Infinity' ? Infinity : -Infinity;
  if (c.path.length === 0) return special;
  const root = JSON.parse(c.input_json) as Record<string | number, unknown>;
  let target = root;
  for (const step of c.path.slice(0, -1)) target = target[step] as Record<string | number, unknown>;
  target[c.path[c.path.length - 1] as string | number] = special;
  return root;
}

/** The situation of a `local` case in `failures.json`: an attempt's outcome without an HTTP answer. */
export type LocalFailure =
  | 'response_too_large'
  | 'timeout'
  | 'connection'
  | 'aborted'
  | 'circuit_open'
  | 'deadline_exceeded'
  | 'invalid_input'
  | 'input_too_large';

/** `failures.json` (the failure table of docs/semantics.md). */
export interface FailureVectors {
  retry_on_status: number[];
  /** The depth limit the depth cases assume (the contract's default). */
  max_json_depth: number;
  cases: ({
    name: string;
    expected: {
      kind: string | null;
      code: string | null;
      retryable: boolean;
      breaker: 'success' | 'failure' | 'ignored';
      fallback: 'retries_exhausted' | 'circuit_open' | null;
      retry_after_ms?: number;
      field_errors?: { field: string; message: string }[];
    };
  } & ({ response: { status: number; headers?: Record<string, string>; body?: unknown; raw_body?: string } } | { local: LocalFailure }))[];
}

/** `options.json` (docs/semantics.md "What the SDKs check before sending"). */
export interface OptionsVectors {
  cases: {
    name: string;
    /** snake_case client options, as in the scenarios; `base_url` defaults to a working one. */
    client?: Record<string, unknown>;
    /** snake_case per-call options of `predict`. */
    call?: Record<string, unknown>;
    model: string;
    data?: unknown;
    /** data = {"a": {"a": … {"a": 1}}} nested this many levels (the outer object is level 1). */
    data_depth?: number;
    /** A wrong-typed value a statically typed API cannot express (TypeScript runs these). */
    dynamic_only?: boolean;
    expected: { sent: true } | { error_kind: string; error_code: string; mentions: string };
  }[];
}

/**
 * The `data` of an options case: `data`, or the nested object `data_depth` describes.
 *
 * @example optionsCaseData({ data_depth: 2 }) // { a: { a: 1 } }
 */
export function optionsCaseData(c: { data?: unknown; data_depth?: number }): unknown {
  if (c.data_depth === undefined) return c.data;
  let data: unknown = 1;
  for (let level = 0; level < c.data_depth; level++) data = { a: data };
  return data;
}
