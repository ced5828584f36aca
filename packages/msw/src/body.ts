/** What {@link readBody} found in a request body. */
export type ReadBody = { kind: 'empty'; raw: '' } | { kind: 'json'; raw: string; value: unknown } | { kind: 'invalid'; raw: string };

/**
 * Reads a request body once (from a clone, so later readers still can) and parses it as JSON.
 *
 * @example
 * const body = await readBody(request);
 * if (body.kind === 'json') use(body.value);
 */
export async function readBody(request: Request): Promise<ReadBody> {
  const raw = await request.clone().text();
  if (raw.length === 0) return { kind: 'empty', raw: '' };
  try {
    return { kind: 'json', raw, value: JSON.parse(raw) };
  } catch {
    return { kind: 'invalid', raw };
  }
}
