/**
 * Why a test's mocked gateway may not answer: msw's `setupServer` patches the global `fetch` and
 * `http`, not undici's own pool, so with the default Node transport an msw test's requests go to
 * the real loopback and are refused. The hint is added to that one error only (a refused
 * connection to a loopback address), where it costs nothing on the hot path.
 *
 * @example withLoopbackRefusedHint(error, 'http://127.0.0.1:4010/v1/health/ready')
 */
export function withLoopbackRefusedHint(error: unknown, url: string): unknown {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'ECONNREFUSED' || !isLoopback(url)) return error;
  error.message +=
    '; nothing listens there — if a test mocks the gateway with msw, create the client with ' +
    "@modelwire/msw's createTestClient() or pass fetch: (input, init) => globalThis.fetch(input, init) " +
    '(msw does not see the default Node transport)';
  return error;
}

function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}
