// Toxiproxy v2.5.0: installed once with `go install` into bench/soak/.bin, started on a free port,
// driven through its HTTP API (README of v2.5.0: /proxies, /proxies/{name}/toxics, /reset).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.mjs';

const BIN_DIR = fileURLToPath(new URL('./.bin/', import.meta.url));
const BINARY = `${BIN_DIR}server`;
const MODULE = 'github.com/Shopify/toxiproxy/v2/cmd/server@v2.5.0';

/**
 * Builds the Toxiproxy server into bench/soak/.bin unless it is already there.
 *
 * @example ensureToxiproxy(); // '/…/bench/soak/.bin/server'
 */
export function ensureToxiproxy() {
  if (existsSync(BINARY)) return BINARY;
  console.error(`soak: go install ${MODULE} (first run only)…`);
  const done = spawnSync('go', ['install', MODULE], { env: { ...process.env, GOBIN: BIN_DIR }, stdio: 'inherit' });
  if (done.status !== 0 || !existsSync(BINARY)) throw new Error('soak: go install of toxiproxy failed');
  return BINARY;
}

/**
 * Starts the Toxiproxy API on a free loopback port and returns a small client for it.
 *
 * @example
 * const toxi = await startToxiproxy();
 * const proxy = await toxi.createProxy('mock', '127.0.0.1:4010');
 * await toxi.addToxic('mock', { type: 'latency', attributes: { latency: 200, jitter: 100 } });
 */
export async function startToxiproxy() {
  const binary = ensureToxiproxy();
  const apiPort = await freePort();
  const child = spawn(binary, ['-host', '127.0.0.1', '-port', String(apiPort)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => {
    // Keep only the tail: Toxiproxy logs every connection.
    log = (log + chunk).slice(-4000);
  });
  const api = `http://127.0.0.1:${apiPort}`;
  const call = async (method, path, body) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${api}/version`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 100) throw new Error(`soak: toxiproxy did not start\n${log}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    api,
    createProxy: async (name, upstream) => {
      const listen = `127.0.0.1:${await freePort()}`;
      return call('POST', '/proxies', { name, listen, upstream, enabled: true });
    },
    addToxic: (proxy, toxic) => call('POST', `/proxies/${proxy}/toxics`, { stream: 'downstream', toxicity: 1, ...toxic }),
    setEnabled: (proxy, enabled) => call('POST', `/proxies/${proxy}`, { enabled }),
    /** Enables every proxy and removes every toxic. */
    reset: () => call('POST', '/reset'),
    stop: () => child.kill('SIGTERM'),
  };
}
