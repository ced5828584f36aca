/** RFC 9111 §1.2.2: a delta-seconds value too large for the recipient is taken as 2^31 seconds. */
const MAX_DELAY_SECONDS = 2 ** 31;

/**
 * Parses a `Retry-After` header: delay-seconds (ASCII digits only) or an IMF-fixdate HTTP date.
 * Returns the wait in ms, or `undefined` when the header is absent, negative or unparsable (the
 * caller then uses backoff). Delay-seconds above 2^31 are taken as 2^31 s (docs/semantics.md "Retry").
 *
 * @example
 * parseRetryAfter('2', Date.now());                              // 2000
 * parseRetryAfter('99999999999999999999', Date.now());           // 2147483648000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.now());  // 0 (a date in the past)
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  // Only HTTP's own whitespace (SP, HTAB) surrounds a field value; String#trim would also strip NBSP & co.
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '') return undefined;
  // DIGIT is ASCII: fullwidth or Arabic-Indic digits make the value unparsable.
  if (/^[0-9]+$/.test(text)) return Math.min(Number(text), MAX_DELAY_SECONDS) * 1000;
  // Only IMF-fixdate-like dates: a bare number such as "-1" or "1.5" must not parse as a date.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
