// The modelwire mock gateway (packages/mock-server/dist, already built) as a child process, with
// the two admin calls the soak needs: script a storm, clear it.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../packages/mock-server/dist/cli.js', import.meta.url));
const PREDICT = '/v1/models/fraud-score/predict';

/**
 * Starts the mock on a free port; resolves once it printed its URL.
 *
 * @example
 * const mock = await startMockServer();
 * await mock.storm(503, '0'); // every predict answers 503 Retry-After: 0 until mock.clear()
 */
export async function startMockServer() {
  const child = spawn(process.execPath, [CLI, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`mock server exited (${code})`)));
    lines.once('line', (line) => {
      const found = /http:\/\/[^\s]+/.exec(line);
      if (found) resolve(found[0]);
      else reject(new Error(`unexpected mock server output: ${line}`));
    });
  });
  lines.on('line', () => {}); // keep draining stdout
  const admin = async (path, body) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!res.ok) throw new Error(`mock admin ${path} → ${res.status} ${await res.text()}`);
  };
  const { port } = new URL(url);
  return {
    url,
    port: Number(port),
    /** Every predict answers `status` with this Retry-After until clear(). */
    storm: (status, retryAfter) =>
      admin('/__admin/scenario', {
        routes: [{ method: 'POST', path: PREDICT, responses: [{ status, headers: { 'Retry-After': retryAfter } }], then: 'repeat_last' }],
      }),
    /** Clears scripts and the request log (which otherwise grows with every call). */
    clear: () => admin('/__admin/reset'),
    stop: () => child.kill('SIGTERM'),
  };
}
