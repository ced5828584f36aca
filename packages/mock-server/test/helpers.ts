import { type MockServer, startMockServer } from '../src/index.js';
import type { MockServerOptions } from '../src/server.js';

/** Starts a mock server on an ephemeral port and returns small helpers bound to it. */
export async function harness(options: MockServerOptions = {}) {
  const server: MockServer = await startMockServer({ port: 0, ...options });
  const admin = async (path: string, body?: unknown) =>
    fetch(`${server.url}/__admin/${path}`, {
      method: body === undefined && path === 'requests' ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const predict = (model: string, data: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.apiUrl}/models/${model}/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ request_id: headers['x-request-id'] ?? 'req-1', data }),
    });
  const requests = async () => ((await (await admin('requests')).json()) as { requests: Array<Record<string, unknown>> }).requests;
  return { server, admin, predict, requests };
}
