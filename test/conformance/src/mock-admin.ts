/** One request as the mock server logged it (`GET /__admin/requests`). */
export interface LoggedRequest {
  seq: number;
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: unknown;
}

/**
 * A tiny client for the mock server's admin API (docs/semantics.md, "Mock server admin API").
 *
 * @example
 * const admin = new MockAdmin('http://127.0.0.1:4010');
 * await admin.reset();
 * await admin.scenario({ routes: [] });
 */
export class MockAdmin {
  constructor(readonly origin: string) {}

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await fetch(this.origin + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(`mock admin ${method} ${path} answered ${res.status}: ${await res.text()}`);
    }
    return res;
  }

  /** Clears scripts, the request log, jobs and auth config. */
  async reset(): Promise<void> {
    await (await this.send('POST', '/__admin/reset')).arrayBuffer();
  }

  /** Loads a scenario script (`routes`, `auth`). */
  async scenario(script: unknown): Promise<void> {
    await (await this.send('POST', '/__admin/scenario', script)).arrayBuffer();
  }

  /** The request log, oldest first. */
  async requests(): Promise<LoggedRequest[]> {
    const res = await this.send('GET', '/__admin/requests');
    const json = (await res.json()) as { requests: LoggedRequest[] };
    return json.requests;
  }
}
