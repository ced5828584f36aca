import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer of the test server. */
export interface Scripted {
  status: number;
  body?: unknown;
  /** The body as is: a string is sent as UTF-8, a Buffer byte for byte. */
  raw?: string | Buffer;
  /** Interim answers sent before the final one. */
  interim?: Array<'continue' | 'processing' | 'early-hints'>;
  headers?: Record<string, string>;
  delayMs?: number;
  destroy?: boolean;
  /** Send `raw` without `content-length` (chunked), in 16 KiB writes. */
  chunked?: boolean;
  /** Send the headers (with the full `content-length`) and this many bytes of `raw`, then nothing more. */
  stallAfterBytes?: number;
  /** Trickle `raw`: 4 bytes every this many ms. */
  trickleMs?: number;
}

/** What the server saw. */
export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: any;
  /** The client's port: one per connection. */
  remotePort: number | undefined;
}

/**
 * A real HTTP server on 127.0.0.1 that answers from a per-path script, else with a default success
 * envelope built from the request (so predictions are "real" answers). Records every request.
 */
export async function startScriptServer() {
  const scripts = new Map<string, Scripted[]>();
  const seen: Seen[] = [];
  let defaultVersion = '2';

  function success(req: Seen, status = 200) {
    const model = req.path.split('/')[2];
    const version = (req.headers['x-model-version'] as string | undefined) ?? defaultVersion;
    const amount = Number(req.body?.data?.amount ?? 0);
    const score = 1 / (1 + Math.exp(-(amount - 100) / 50));
    return {
      status: 'success',
      code: status === 202 ? 'ACCEPTED' : 'OK',
      message: 'ok',
      request_id: req.body?.request_id ?? req.headers['x-request-id'],
      trace_id: String(req.headers.traceparent ?? '').split('-')[1] ?? '0'.repeat(32),
      model: { name: model, version },
      result: { label: score > 0.5 ? 'fraud' : 'legit', score, confidence: Math.max(score, 1 - score), uncertainty_score: 0.1 },
    };
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const path = (req.url ?? '/').replace(/^\/v1/, '');
      const entry: Seen = { method: req.method ?? 'GET', path, headers: req.headers, body, remotePort: req.socket.remotePort };
      seen.push(entry);
      const next = scripts.get(path)?.shift();
      if (next?.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
      if (next?.destroy) {
        req.socket.destroy();
        return;
      }
      const status = next?.status ?? 200;
      const headers: Record<string, string> = { 'content-type': 'application/json', ...(next?.headers ?? {}) };
      if (res.destroyed) return;
      for (const kind of next?.interim ?? []) {
        if (kind === 'continue') res.writeContinue();
        else if (kind === 'processing') res.writeProcessing();
        else res.writeEarlyHints({ link: '</model.css>; rel=preload' });
      }
      if (next?.raw !== undefined && (next.chunked || next.stallAfterBytes !== undefined || next.trickleMs !== undefined)) {
        await writeShaped(res, status, headers, next);
        return;
      }
      if (next?.raw !== undefined) {
        res.writeHead(status, headers).end(next.raw);
        return;
      }
      let payload = next?.body;
      if (payload === undefined) {
        payload =
          status < 300
            ? success(entry, status)
            : { status: 'error', code: 'X', message: `scripted ${status}`, request_id: entry.headers['x-request-id'], trace_id: 'abc' };
      }
      if (status < 300 && payload && typeof payload === 'object' && (payload as any).model)
        headers['x-model-version'] = (payload as any).model.version;
      res.writeHead(status, headers).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    script(path: string, ...answers: Scripted[]) {
      scripts.set(path, [...(scripts.get(path) ?? []), ...answers]);
    },
    reset() {
      scripts.clear();
      seen.length = 0;
    },
    setDefaultVersion(v: string) {
      defaultVersion = v;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type ScriptServer = Awaited<ReturnType<typeof startScriptServer>>;

/**
 * A chunked, trickled or stalled answer: headers at once, the body in 16 KiB writes (4 bytes every
 * `trickleMs` when trickled), stopping for good at `stallAfterBytes`.
 */
async function writeShaped(res: ServerResponse, status: number, headers: Record<string, string>, next: Scripted): Promise<void> {
  const bytes = typeof next.raw === 'string' ? Buffer.from(next.raw, 'utf8') : (next.raw ?? Buffer.alloc(0));
  if (!next.chunked) headers['content-length'] = String(bytes.length);
  res.writeHead(status, headers);
  res.flushHeaders();
  const end = Math.min(bytes.length, next.stallAfterBytes ?? bytes.length);
  const step = next.trickleMs ? 4 : 16_384;
  for (let offset = 0; offset < end && !res.destroyed; offset += step) {
    if (offset > 0 && next.trickleMs) await new Promise((r) => setTimeout(r, next.trickleMs));
    res.write(bytes.subarray(offset, Math.min(end, offset + step)));
  }
  if (end === bytes.length) res.end();
}
