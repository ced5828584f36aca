import type { Socket } from 'node:net';
import type { ScriptedResponse } from './script.js';

/** The longest a stalled raw answer keeps its socket before the server drops it. */
const STALL_CAP_MS = 120_000;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes `raw_response` to the socket byte for byte — status line, headers, framing and body as
 * scripted, so a scenario can send what node:http never would (an interim `100 Continue` before
 * the answer, broken chunked framing, a body shorter than its `Content-Length`, trickled headers) —
 * then closes the connection. Each character of the string is one byte (U+0000–U+00FF, latin1),
 * so invalid UTF-8 can be scripted too. `chunk_bytes` / `chunk_interval_ms` trickle these bytes,
 * `stall_after_bytes` stops sending for good after that many.
 *
 * @example await writeRawResponse(req.socket, { raw_response: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n' });
 */
export async function writeRawResponse(socket: Socket, script: ScriptedResponse): Promise<void> {
  const bytes = Buffer.from(script.raw_response ?? '', 'latin1');
  const limit = Math.min(bytes.length, script.stall_after_bytes ?? bytes.length);
  const step = script.chunk_bytes ?? bytes.length;
  let closed = socket.destroyed;
  socket.once('close', () => {
    closed = true;
  });
  for (let offset = 0; offset < limit && !closed; offset += step) {
    if (offset > 0 && script.chunk_interval_ms) await pause(script.chunk_interval_ms);
    if (!closed) socket.write(bytes.subarray(offset, Math.min(limit, offset + step)));
  }
  if (limit === bytes.length) {
    // Half-close after the bytes are flushed: the client reads everything, then sees the end.
    socket.end();
    return;
  }
  const started = Date.now();
  while (!closed && Date.now() - started < STALL_CAP_MS) await pause(50);
  if (!closed) socket.destroy();
}
