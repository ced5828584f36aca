// The TypeScript conformance runner: every scenario in scenarios/ against the real mock server over
// loopback HTTP, with the real client. Scenarios in skip/typescript.json are skipped with their reason.
// CONFORMANCE_OVERRIDE='<json>' deep-merges snake_case client options into every scenario (used only to
// prove the suite bites; see README); CONFORMANCE_ONLY=a,b runs only the named scenarios.
import { createClient } from '@modelwire/client';
import { startMockServer } from '@modelwire/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockAdmin } from '../src/mock-admin.js';
import { type ClientUnderTest, runScenario } from '../src/run-scenario.js';
import { loadScenarios, loadSkipList } from '../src/scenario.js';

const skip = loadSkipList('typescript');
const only = process.env.CONFORMANCE_ONLY?.split(',').filter(Boolean);
const override = process.env.CONFORMANCE_OVERRIDE ? (JSON.parse(process.env.CONFORMANCE_OVERRIDE) as Record<string, unknown>) : undefined;
const scenarios = loadScenarios().filter(({ scenario }) => !only || only.includes(scenario.name));
const results: { name: string; status: 'passed' | 'failed' | 'skipped'; detail?: string }[] = [];

let server: { url: string; apiUrl: string; close: () => unknown };
let admin: MockAdmin;

describe('conformance (TypeScript)', () => {
  beforeAll(async () => {
    server = await startMockServer({ port: 0 });
    admin = new MockAdmin(new URL(server.url).origin);
  });

  afterAll(async () => {
    await server?.close();
    const count = (s: string) => results.filter((r) => r.status === s).length;
    const lines = results.filter((r) => r.status !== 'passed').map((r) => `  ${r.status}: ${r.name} — ${r.detail}`);
    if (override) lines.unshift(`  (with CONFORMANCE_OVERRIDE=${JSON.stringify(override)})`);
    console.log(
      `\nconformance coverage (TypeScript), ${results.length} of ${scenarios.length} scenarios:\n${lines.join('\n')}\n` +
        `conformance: ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped\n`,
    );
  });

  for (const { scenario } of scenarios) {
    const reason = skip[scenario.name];
    if (reason) {
      results.push({ name: scenario.name, status: 'skipped', detail: reason });
      it.skip(`${scenario.name} — skipped: ${reason}`, () => {});
      continue;
    }
    it(scenario.name, async () => {
      // Recorded as failed up front so a scenario killed by the test timeout still counts as failed.
      const result: (typeof results)[number] = { name: scenario.name, status: 'failed', detail: 'did not finish (test timeout)' };
      results.push(result);
      let problems: string[];
      try {
        problems = await runScenario(scenario, {
          admin,
          origin: new URL(server.url).origin,
          apiUrl: server.apiUrl,
          createClient: (options) => createClient(options as never) as unknown as ClientUnderTest,
          override,
        });
      } catch (e) {
        problems = [`runner error: ${(e as Error).stack ?? e}`];
      }
      result.status = problems.length ? 'failed' : 'passed';
      result.detail = problems.join(' | ');
      expect(problems, scenario.description).toEqual([]);
    });
  }
});
