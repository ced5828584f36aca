import { describe, expect, it } from 'vitest';
import { parseRetryAfter, signWebhook, verifyWebhook, WebhookVerificationError } from '../src/public.js';

const body = JSON.stringify({ status: 'success', result: { job_id: 'j1', state: 'succeeded' } });
const now = 1_764_000_000;

function reason(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof WebhookVerificationError ? e.reason : `unexpected ${String(e)}`;
  }
  return undefined;
}

describe('verifyWebhook', () => {
  it('accepts a valid signature and returns the parsed body', () => {
    const header = signWebhook(body, 'whsec', now);
    expect(verifyWebhook<{ result: { job_id: string } }>(body, { 'X-Modelwire-Signature': header }, 'whsec', { now }).result.job_id).toBe(
      'j1',
    );
    expect(verifyWebhook(body, new Headers({ 'x-modelwire-signature': header }), ['old', 'whsec'], { now })).toBeTruthy();
  });

  it('rejects wrong secret, tampered body, old or future timestamps, malformed headers', () => {
    const header = signWebhook(body, 'whsec', now);
    expect(reason(() => verifyWebhook(body, { 'x-modelwire-signature': header }, 'other', { now }))).toBe('signature_mismatch');
    expect(reason(() => verifyWebhook(`${body} `, { 'x-modelwire-signature': header }, 'whsec', { now }))).toBe('signature_mismatch');
    expect(reason(() => verifyWebhook(body, { 'x-modelwire-signature': header }, 'whsec', { now: now + 301 }))).toBe(
      'timestamp_out_of_tolerance',
    );
    expect(reason(() => verifyWebhook(body, { 'x-modelwire-signature': header }, 'whsec', { now: now - 301 }))).toBe(
      'timestamp_out_of_tolerance',
    );
    expect(reason(() => verifyWebhook(body, {}, 'whsec', { now }))).toBe('malformed_header');
    expect(reason(() => verifyWebhook(body, { 'x-modelwire-signature': 'v1=abc' }, 'whsec', { now }))).toBe('malformed_header');
  });

  it('accepts when any of several v1 entries matches', () => {
    const good = signWebhook(body, 'whsec', now).split(',')[1];
    const header = `t=${now},v1=${'0'.repeat(64)},${good}`;
    expect(() => verifyWebhook(body, { 'x-modelwire-signature': header }, 'whsec', { now })).not.toThrow();
  });
});

describe('parseRetryAfter', () => {
  const nowMs = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT');
  it.each([
    ['2', 2000],
    ['0', 0],
    ['Tue, 24 Nov 2026 10:00:05 GMT', 5000],
    ['Tue, 24 Nov 2026 09:00:00 GMT', 0],
    ['-1', undefined],
    ['1.5', undefined],
    ['soon', undefined],
    ['', undefined],
    [undefined, undefined],
    ['99999999999999999999', 2 ** 31 * 1000],
    ['\u00a05', undefined],
    ['\uff15', undefined],
  ])('%s → %s', (header, expected) => {
    expect(parseRetryAfter(header, nowMs)).toBe(expected);
  });
});
