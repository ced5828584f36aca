// Runs test/vectors/options.json against the TypeScript client: each case builds a client from the
// case's snake_case options (mapped as the conformance runner maps them) over an in-memory transport,
// and calls predict. A refused case must throw its typed error before anything is sent: no request,
// no event. TypeScript is dynamically checked at run time, so `dynamic_only` cases run too.
import { createClient, type HttpRequest } from '@modelwire/client';
import { afterAll, describe, expect, it } from 'vitest';
import { toTsOptions } from '../src/client-options.js';
import { loadVectors, type OptionsVectors, optionsCaseData } from '../src/vectors.js';

const { cases } = loadVectors<OptionsVectors>('options.json');
const tally = { passed: 0, failed: 0 };

/** A gateway that answers every predict with a success envelope, and records what was sent. */
function recordingTransport() {
  const requests: HttpRequest[] = [];
  const transport = async (request: HttpRequest) => {
    requests.push(request);
    const body = {
      status: 'success',
      code: 'OK',
      message: 'ok',
      request_id: request.headers['x-request-id'],
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      model: { name: 'fraud-score', version: '1' },
      result: { label: 'legit', confidence: 0.9 },
    };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  };
  return { transport, requests };
}

describe('options.json', () => {
  afterAll(() => {
    console.log(`\noptions vectors: ${tally.passed} passed, ${tally.failed} failed, 0 not expressible\n`);
  });

  it('has the cases the semantics pin', () => {
    expect(cases.length).toBeGreaterThanOrEqual(31);
  });

  for (const c of cases) {
    it(c.name, async () => {
      tally.failed++;
      const { transport, requests } = recordingTransport();
      const events: unknown[] = [];
      let outcome: { error: unknown } | { value: unknown };
      try {
        const options = toTsOptions(c.client ?? {}, 'http://gateway.test/v1');
        const client = createClient({ ...(options as object), transport, onEvent: (e: unknown) => events.push(e) } as never);
        const call = c.call ? toTsOptions(c.call) : undefined;
        outcome = { value: await client.predict(c.model, optionsCaseData(c) as never, call as never) };
      } catch (error) {
        outcome = { error };
      }
      if ('sent' in c.expected) {
        expect('value' in outcome ? 'sent' : String((outcome as { error: unknown }).error)).toBe('sent');
        expect(requests).toHaveLength(1);
      } else {
        expect('error' in outcome, 'the call must fail').toBe(true);
        const error = (outcome as { error: { kind?: string; code?: string; message?: string } }).error;
        expect(error.kind, String(error)).toBe(c.expected.error_kind);
        expect(error.code, String(error)).toBe(c.expected.error_code);
        expect(error.message?.toLowerCase()).toContain(c.expected.mentions.toLowerCase());
        expect(requests, 'nothing is sent').toHaveLength(0);
        expect(events, 'no event is emitted').toEqual([]);
      }
      tally.failed--;
      tally.passed++;
    });
  }
});
