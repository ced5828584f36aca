/** Headers that may appear in events and logs; every other value is replaced by `[REDACTED]`. */
export const LOGGABLE_HEADERS: ReadonlySet<string> = new Set([
  'accept',
  'content-type',
  'content-length',
  'x-request-id',
  'idempotency-key',
  'traceparent',
  'x-model-version',
  'retry-after',
  'user-agent',
]);

/**
 * Redacts headers by allow-list (so a new secret header is hidden by default).
 *
 * @example redactHeaders({ authorization: 'Bearer abc', 'x-request-id': 'r1' }); // { authorization: '[REDACTED]', 'x-request-id': 'r1' }
 */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = LOGGABLE_HEADERS.has(name.toLowerCase()) ? value : '[REDACTED]';
  }
  return out;
}

/**
 * Removes anything token-like from a message before it goes into an error.
 *
 * @example redactText('401: token abc.def.ghi rejected', ['abc.def.ghi']); // '401: token [REDACTED] rejected'
 */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text.replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [REDACTED]');
  // Longest first, so a secret that is a prefix of another never leaves the other's tail behind.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  }
  return out;
}
