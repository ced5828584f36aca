/** What {@link readBody} found in a request body. */
export type ReadBody =
  | { kind: 'empty'; raw: '' }
  | { kind: 'json'; raw: string; value: unknown }
  | { kind: 'invalid'; raw: string }
  | { kind: 'unlabelled'; raw: string };

/** `application/json` or any `+json` media type, parameters (charset) aside. */
const JSON_MEDIA_TYPE = /^\s*application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Reads a request body once (from a clone, so later readers still can) and parses it as JSON. A
 * body not labelled `Content-Type: application/json` is `unlabelled` (a validating gateway answers
 * 415 to it, so the mock does too).
 *
 * @example
 * const body = await readBody(request);
 * if (body.kind === 'json') use(body.value);
 */
export async function readBody(request: Request): Promise<ReadBody> {
  const raw = await request.clone().text();
  if (raw.length === 0) return { kind: 'empty', raw: '' };
  if (!JSON_MEDIA_TYPE.test(request.headers.get('content-type') ?? '')) return { kind: 'unlabelled', raw };
  try {
    return { kind: 'json', raw, value: JSON.parse(raw) };
  } catch {
    return { kind: 'invalid', raw };
  }
}
