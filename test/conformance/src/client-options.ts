/** Scenario-level state a client option may read at call time (the token provider's tokens). */
export interface TokenState {
  /** What the `token_provider` returns now; changed by `set_token` steps. */
  current?: string;
  /** How many times the provider was asked (diagnostics). */
  calls: number;
}

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), camelKeys(v)]));
  }
  return value;
}

/**
 * THE mapping from a scenario's snake_case options (client options or per-call options) to the
 * TypeScript client's camelCase names. Everything is a mechanical snake→camel rename except:
 * `fallbacks` (its keys are model names, kept verbatim) and `auth.token_provider` (becomes a
 * `getToken` function reading `tokens`). `baseUrl` is the scenario's `base_url` when it has one
 * (even `null` or `""`: the options vectors test those), else `baseUrl` when given.
 *
 * @example
 * toTsOptions({ retry: { max_retries: 2 }, fallbacks: { 'fraud-score': 'fraud-score-backup' } }, 'http://127.0.0.1:1/v1');
 * // { baseUrl: 'http://127.0.0.1:1/v1', retry: { maxRetries: 2 }, fallbacks: { 'fraud-score': 'fraud-score-backup' } }
 */
export function toTsOptions(
  scenarioOptions: Record<string, unknown>,
  baseUrl?: string,
  tokens: TokenState = { calls: 0 },
): Record<string, unknown> {
  const { fallbacks, auth, ...rest } = scenarioOptions;
  const out = camelKeys(rest) as Record<string, unknown>;
  if (baseUrl !== undefined && !('base_url' in scenarioOptions)) out.baseUrl = baseUrl;
  if (fallbacks !== undefined) out.fallbacks = fallbacks;
  if (auth && typeof auth === 'object' && 'token_provider' in auth) {
    tokens.current = (auth as { token_provider: string }).token_provider;
    out.auth = {
      getToken: async () => {
        tokens.calls++;
        return tokens.current as string;
      },
    };
  } else if (auth !== undefined) {
    out.auth = camelKeys(auth);
  }
  return out;
}
