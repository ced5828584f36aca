// Every scenario file must satisfy scenario.schema.json, be named after its file, and every skip list
// must name real scenarios with a reason. The schema itself must reject broken scenarios.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR, loadScenarios, loadSkipList, scenarioValidator } from '../src/scenario.js';

const validate = scenarioValidator();
const scenarios = loadScenarios();

describe('scenario files', () => {
  it('there are scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(25);
  });
  for (const { file, scenario } of scenarios) {
    it(`${file} is valid and named after its file`, () => {
      expect(validate(scenario)).toEqual([]);
      expect(`${scenario.name}.json`).toBe(file);
    });
  }
});

describe('scenario.schema.json', () => {
  const base = scenarios[0]?.scenario;
  it('rejects an unknown step, a bad outcome, an error without kind and an unknown client option', () => {
    expect(validate({ ...base, steps: [{ dance: true }] })).not.toEqual([]);
    expect(validate({ ...base, steps: [{ call: 'predict', model: 'm', data: {}, expect: { outcome: 'maybe' } }] })).not.toEqual([]);
    expect(validate({ ...base, steps: [{ call: 'predict', model: 'm', data: {}, expect: { outcome: 'error' } }] })).not.toEqual([]);
    expect(validate({ ...base, client: { retry: { maxRetries: 2 } } })).not.toEqual([]);
    expect(validate({ ...base, observe: [{ path: '/v1/x', same: ['header:X-Upper'] }] })).not.toEqual([]);
  });
});

describe('skip lists', () => {
  const names = new Set(scenarios.map((s) => s.scenario.name));
  for (const file of readdirSync(`${CONFORMANCE_DIR}skip`).filter((f) => f.endsWith('.json'))) {
    it(`${file} names existing scenarios, each with a reason`, () => {
      const list = loadSkipList(file.replace(/\.json$/, ''));
      for (const [name, reason] of Object.entries(list)) {
        expect(names.has(name), `unknown scenario ${name}`).toBe(true);
        expect(typeof reason === 'string' && reason.length >= 10, `reason for ${name}`).toBe(true);
      }
    });
  }
});
