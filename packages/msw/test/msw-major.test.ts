import * as msw from 'msw';
import * as mswNode from 'msw/node';
import { describe, expect, it } from 'vitest';

// Each vitest config says which msw major it runs against (vitest.config.ts: 3, vitest.msw2.config.ts: 2).
// This proves the alias really swapped the library, so "passes on msw 2" is not msw 3 passing twice.
const expected = Number(process.env.MODELWIRE_MSW_MAJOR);

describe(`the msw under test (expected major ${expected})`, () => {
  it('is the major the config asked for', () => {
    expect([2, 3]).toContain(expected);
    // Exports that exist in only one major: msw 2 still has `onUnhandledRequest` and `SetupServerApi`,
    // msw 3 added `isPassthroughResponse`.
    const major = 'isPassthroughResponse' in msw ? 3 : 'onUnhandledRequest' in msw ? 2 : 0;
    expect(major).toBe(expected);
    expect('SetupServerApi' in mswNode).toBe(expected === 2);
  });
});
