import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScriptedResponse } from './script.js';

/** The longest a stalled answer keeps its socket before the server drops it. */
const STALL_CAP_MS = 120_000;

/** Whether a scripted answer asks for a shaped body (built from parts, trickled or stalled). */
export function isShaped(script: ScriptedResponse): boolean {
  return script.body_parts !== undefined || script.chunk_bytes !== undefined || script.stall_after_bytes !== undefined;
}

/** The body bytes of a shaped answer: `body_parts` concatenated, else `raw_body`, else `body` as JSON. */
function shapedBytes(script: ScriptedResponse): Buffer {
  if (script.body_parts) return Buffer.from(script.body_parts.map((part) => part.text.repeat(part.times ?? 1)).join(''), 'utf8');
  if (script.raw_body !== undefined) return Buffer.from(script.raw_body, 'utf8');
  return Buffer.from(script.body === undefined ? '' : JSON.stringify(script.body), 'utf8');
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes a hostile answer: the status and headers at once (with the full `content-length`), then
 * the body in `chunk_bytes` pieces every `chunk_interval_ms` (a trickle), stopping for good after
 * `stall_after_bytes` (a stall: the socket stays open until the client gives up).
 *
 * @example await writeShaped(req, res, { status: 200, raw_body: '{"a":1}', stall_after_bytes: 3 }, headers);
 */
export async function writeShaped(
  req: IncomingMessage,
  res: ServerResponse,
  script: ScriptedResponse,
  headers: Record<string, string>,
): Promise<void> {
  const bytes = shapedBytes(script);
  const limit = Math.min(bytes.length, script.stall_after_bytes ?? bytes.length);
  const step = script.chunk_bytes ?? bytes.length;
  res.writeHead(script.status ?? 200, { 'content-type': 'application/json', ...headers, 'content-length': String(bytes.length) });
  res.flushHeaders();
  let closed = false;
  req.socket.once('close', () => {
    closed = true;
  });
  for (let offset = 0; offset < limit && !closed; offset += step) {
    if (offset > 0 && script.chunk_interval_ms) await pause(script.chunk_interval_ms);
    if (!closed) res.write(bytes.subarray(offset, Math.min(limit, offset + step)));
  }
  if (limit === bytes.length) {
    res.end();
    return;
  }
  // A stall: send nothing more; drop the socket if the client never gives up.
  const started = Date.now();
  while (!closed && Date.now() - started < STALL_CAP_MS) await pause(50);
  if (!closed) req.socket.destroy();
}
