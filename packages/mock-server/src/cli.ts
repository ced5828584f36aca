#!/usr/bin/env node
/**
 * `modelwire-mock --port <n>`: the mock model gateway over HTTP on 127.0.0.1.
 * Prints `modelwire-mock listening on http://127.0.0.1:<port>` as its first stdout line; exits 0 on SIGTERM/SIGINT.
 *
 * @example
 * // node packages/mock-server/dist/cli.js --port 0
 */
import { startMockServer } from './server.js';

const USAGE = 'usage: modelwire-mock [--port <n>]   (default 4010; 0 picks a free port)';

function parsePort(argv: string[]): number {
  let value: string | undefined = process.env.MODELWIRE_MOCK_PORT;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg === '--port' || arg === '-p') value = argv[++i];
    else if (arg.startsWith('--port=')) value = arg.slice('--port='.length);
    else {
      process.stderr.write(`modelwire-mock: unknown argument ${JSON.stringify(arg)}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  const port = Number(value ?? 4010);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`modelwire-mock: --port must be an integer 0..65535, got ${JSON.stringify(value)}\n${USAGE}\n`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const server = await startMockServer({ port: parsePort(process.argv.slice(2)) });
  process.stdout.write(`modelwire-mock listening on ${server.url}\n`);
  let closing = false;
  const stop = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
