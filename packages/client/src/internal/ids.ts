/** A random UUID v4 (request ids, idempotency keys). @example newId() // '1b4e28ba-2fa1-41d2-883f-0016d3cca427' */
export function newId(): string {
  return crypto.randomUUID();
}

/** `n` random bytes as lowercase hex (trace and span ids). @example randomHex(8).length // 16 */
export function randomHex(bytes: number): string {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  let out = '';
  for (const b of buf) out += b.toString(16).padStart(2, '0');
  // All-zero ids are invalid in W3C Trace Context.
  return /^0+$/.test(out) ? randomHex(bytes) : out;
}
