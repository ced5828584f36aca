import type { Socket } from 'node:net';

/** An interim block longer than this is not skipped: undici's parser then sees it and refuses it. */
const MAX_INTERIM_BLOCK_BYTES = 16 * 1024;

const END_OF_HEAD = Buffer.from('\r\n\r\n', 'latin1');

/** An interim status line: `#` is any digit; the last SP may be CR instead (the reason phrase is optional). */
const INTERIM_STATUS_LINE = 'HTTP/1.# 1## ';
const ANY_DIGIT = 0x23; // '#'
const SP = 0x20;
const CR = 0x0d;

function fitsInterimStatusLine(byte: number, at: number): boolean {
  const wanted = INTERIM_STATUS_LINE.charCodeAt(at);
  if (wanted === ANY_DIGIT) return byte >= 0x30 && byte <= 0x39;
  if (at === INTERIM_STATUS_LINE.length - 1) return byte === SP || byte === CR;
  return byte === wanted;
}

/**
 * What the first bytes of an answer are: an interim (1xx) head, a final answer, or too short to
 * tell yet. `101 Switching Protocols` counts as final: it changes the protocol, so it is not
 * skipped (the client never asks for an upgrade, and undici refuses it).
 */
function classify(bytes: Uint8Array): 'interim' | 'final' | 'undecided' {
  const known = Math.min(bytes.length, INTERIM_STATUS_LINE.length);
  for (let at = 0; at < known; at++) if (!fitsInterimStatusLine(bytes[at] as number, at)) return 'final';
  if (known < INTERIM_STATUS_LINE.length) return 'undecided';
  const isSwitchingProtocols = bytes[10] === 0x30 && bytes[11] === 0x31;
  return isSwitchingProtocols ? 'final' : 'interim';
}

/**
 * Drops interim answers (`100 Continue`, `102 Processing`, `103 Early Hints`, any 1xx but 101) from
 * the start of each answer on one HTTP/1.1 connection, as RFC 9110 §15.2 requires of a client that
 * did not ask for them. Only the start of an answer is looked at: once a final status line has
 * arrived, every byte passes untouched until the next request is written (so nothing inside a body
 * is ever looked at). A block split across reads is held until it is whole.
 *
 * @example
 * const skipper = new InterimAnswerSkipper();
 * skipper.requestWritten();
 * skipper.take(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')); // → 'HTTP/1.1 200 OK\r\n'
 */
export class InterimAnswerSkipper {
  /** True while the next bytes read are the start of an answer (before its final status line). */
  atAnswerStart = true;
  private held: Buffer | undefined;

  /** A request was written: the next bytes read start its answer (one request at a time: pipelining 1). */
  requestWritten(): void {
    this.atAnswerStart = true;
  }

  /** Takes bytes read at the start of an answer; returns those for the HTTP parser, or null while an interim block is incomplete. */
  take(chunk: Buffer): Buffer | null {
    let bytes = this.held === undefined ? chunk : Buffer.concat([this.held, chunk]);
    this.held = undefined;
    for (;;) {
      const start = classify(bytes);
      if (start === 'final') {
        this.atAnswerStart = false;
        return bytes;
      }
      const end = start === 'interim' ? bytes.indexOf(END_OF_HEAD) : -1;
      if (end === -1) {
        // A head that never ends is handed over as is: undici's parser refuses it (no unbounded buffer here).
        if (bytes.length > MAX_INTERIM_BLOCK_BYTES) {
          this.atAnswerStart = false;
          return bytes;
        }
        this.held = bytes;
        return null;
      }
      bytes = bytes.subarray(end + END_OF_HEAD.length);
      if (bytes.length === 0) return null;
    }
  }
}

/**
 * Makes an HTTP/1.1 socket skip interim answers before undici's parser sees them: undici 8 destroys
 * the connection on any `100` it did not ask for ("bad response", nodejs/undici#197, wontfix). undici
 * pulls bytes with `socket.read()` and writes each request with `socket.write()`, so those two are
 * wrapped on this one socket. Requires one request at a time whose body is written at once (this
 * client's string bodies): a write marks the start of the next answer.
 *
 * @example
 * connect: (options, done) => connector(options, (error, socket) => done(error, socket && skipInterimAnswers(socket)));
 */
export function skipInterimAnswers<S extends Socket>(socket: S): S {
  const skipper = new InterimAnswerSkipper();
  const read = socket.read;
  // Fixed parameters rather than rest + apply: no array per write on the hot path.
  const write = socket.write as unknown as (this: S, chunk: unknown, encoding?: unknown, callback?: unknown) => boolean;
  socket.read = function readSkippingInterimAnswers(this: S, size?: number) {
    // Stream internals call read(0) to refill the buffer: that and anything past the start pass through.
    if (!skipper.atAnswerStart || size !== undefined) return read.call(this, size);
    for (;;) {
      const chunk: Buffer | null = read.call(this);
      if (chunk === null) return null;
      const bytes = skipper.take(chunk);
      if (bytes !== null) return bytes;
    }
  };
  socket.write = function writeMarkingAnswerStart(this: S, chunk: unknown, encoding?: unknown, callback?: unknown) {
    skipper.requestWritten();
    return write.call(this, chunk, encoding, callback);
  } as S['write'];
  return socket;
}
