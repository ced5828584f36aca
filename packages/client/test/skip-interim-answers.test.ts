import { describe, expect, it } from 'vitest';
import { InterimAnswerSkipper } from '../src/transport/skip-interim-answers.js';

// docs/semantics.md "How an answer is read": interim 1xx answers before the final one are skipped.
// The skipper is fed the bytes one socket read at a time; what it returns is what undici's parser sees.

// A body that quotes an interim status line: it must reach the parser as is.
const BODY = '{"note":"HTTP/1.1 100 Continue\\r\\n\\r\\n x"}';
const FINAL = `HTTP/1.1 200 OK\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`;

/** Feeds `chunks` as successive reads of one answer; returns what reached the parser. */
function feed(chunks: string[], skipper = new InterimAnswerSkipper()): string {
  skipper.requestWritten();
  let out = '';
  for (const chunk of chunks) {
    const read = Buffer.from(chunk, 'latin1');
    const bytes = skipper.atAnswerStart ? skipper.take(read) : read;
    if (bytes !== null) out += bytes.toString('latin1');
  }
  return out;
}

/** Every way to cut `text` into two reads. */
const everySplit = (text: string) => Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);

describe('InterimAnswerSkipper', () => {
  it('passes a final answer untouched, in one read or split anywhere', () => {
    expect(feed([FINAL])).toBe(FINAL);
    for (const split of everySplit(FINAL)) expect(feed(split)).toBe(FINAL);
  });

  it('drops a 100 Continue, a 102 and a 103 with headers before the final answer', () => {
    expect(feed([`HTTP/1.1 100 Continue\r\n\r\n${FINAL}`])).toBe(FINAL);
    expect(feed([`HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n${FINAL}`])).toBe(FINAL);
    expect(feed([`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.0 199 Whatever\r\n\r\n${FINAL}`])).toBe(FINAL);
  });

  it('drops an interim block split at every byte, also when the final answer is split from it', () => {
    const answer = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n${FINAL}`;
    for (const split of everySplit(answer)) expect(feed(split), JSON.stringify(split)).toBe(FINAL);
    expect(feed(answer.split(''))).toBe(FINAL);
  });

  it('accepts a status line without a reason phrase', () => {
    expect(feed([`HTTP/1.1 100\r\n\r\n${FINAL}`])).toBe(FINAL);
  });

  it('never looks inside a body: after the final status line every byte passes until the next request', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 25\r\n\r\n';
    expect(feed([head, 'HTTP/1.1 100 Continue\r\n\r\n'])).toBe(`${head}HTTP/1.1 100 Continue\r\n\r\n`);
    const skipper = new InterimAnswerSkipper();
    skipper.requestWritten();
    expect(skipper.take(Buffer.from(head, 'latin1'))?.toString('latin1')).toBe(head);
    expect(skipper.atAnswerStart).toBe(false);
    // The next answer on the same connection starts after the next request is written.
    expect(feed(['HTTP/1.1 100 Continue\r\n\r\n', FINAL], skipper)).toBe(FINAL);
  });

  it('leaves 101 Switching Protocols and anything that is not HTTP/1.x to the parser', () => {
    const upgrade = 'HTTP/1.1 101 Switching Protocols\r\n\r\n';
    expect(feed([upgrade])).toBe(upgrade);
    expect(feed(['garbage\r\n\r\n'])).toBe('garbage\r\n\r\n');
    expect(feed(['HTTP/2 100\r\n\r\n'])).toBe('HTTP/2 100\r\n\r\n');
    expect(feed(['HTTP/1.1 1000 x\r\n\r\n'])).toBe('HTTP/1.1 1000 x\r\n\r\n');
  });

  it('holds an incomplete interim block (nothing for the parser yet) but never more than 16 KiB of it', () => {
    expect(feed(['HTTP/1.1 100 Continue\r\n'])).toBe('');
    expect(feed(['HTTP/1.1 1'])).toBe('');
    const endless = `HTTP/1.1 103 Early Hints\r\nLink: ${'x'.repeat(20_000)}`;
    expect(feed([endless.slice(0, 10_000), endless.slice(10_000)])).toBe(endless);
  });
});
