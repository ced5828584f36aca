import type { TokenSource } from '../auth/token-source.js';
import type { Clock } from '../clock.js';
import { AbortedError, ConnectionError, MalformedResponseError, NotFoundError } from '../errors/error-classes.js';
import { errorFromResponse } from '../errors/from-response.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import type { AttemptErrorCode } from '../events.js';
import { AttemptTimedOut } from '../policies/timeout-stage.js';
import { redactText } from '../redact.js';
import type { AttemptSpan } from '../telemetry/attempt-span.js';
import { formatTraceparent } from '../trace.js';
import { BodyNotUtf8, type HttpRequest, type HttpResponse, ResponseTooLarge, type Transport } from '../transport/transport.js';
import { baseUrlHint } from './base-url-hint.js';
import { byteLength } from './byte-length.js';
import { type Answer, type CallContext, callFields } from './call-context.js';
import { userAgent } from './client-id.js';
import { type ParseContext, parseResponse, undecodableAnswer } from './parse-response.js';
import { urlForMessage } from './url-for-message.js';

interface SendDeps {
  baseUrl: string;
  transport: Transport;
  tokens: TokenSource;
  clock: Clock;
  headers: Record<string, string>;
  maxResponseBytes: number;
  maxJsonDepth: number;
}

/**
 * The pipeline's last step: one HTTP attempt. Builds the headers (ids, trace, version pin, bearer
 * token), sends through the transport, parses the answer, and on a 401 repeats once with a fresh
 * token when the credential can be refreshed (a new attempt, not a retry). It is the attempt's one
 * boundary: whatever the transport or the parser throws leaves as a typed error
 * (docs/semantics.md "Attempt boundaries"), and a body above `maxResponseBytes` is malformed.
 *
 * @example const send = sendStage({ baseUrl, transport, tokens, clock, headers: {}, maxResponseBytes: 10_485_760, maxJsonDepth: 100 });
 */
export function sendStage(deps: SendDeps): (ctx: CallContext) => Promise<Answer> {
  const { transport, tokens, clock } = deps;
  const notFoundHint = baseUrlHint(deps.baseUrl);

  async function attempt(ctx: CallContext, forceRefresh: boolean): Promise<Answer> {
    const path = ctx.path(ctx.model ?? '');
    // The first attempt reuses the token the cache scope was computed from, so a provider is asked once per call.
    const token =
      !forceRefresh && ctx.counter.attempts === 0 && ctx.presetToken !== undefined
        ? ctx.presetToken
        : await tokens.token(forceRefresh, ctx.signal);
    const attemptNo = ctx.counter.attempts + 1;
    // With OpenTelemetry recording, the attempt is a CLIENT span and the wire traceparent is its context.
    const span = ctx.span?.startAttempt(ctx.method, deps.baseUrl + path, attemptNo);
    try {
      return await sendOnce(ctx, forceRefresh, path, token, attemptNo, span);
    } finally {
      span?.end();
    }
  }

  async function sendOnce(
    ctx: CallContext,
    forceRefresh: boolean,
    path: string,
    token: string | undefined,
    attemptNo: number,
    span: AttemptSpan | undefined,
  ): Promise<Answer> {
    const request = buildRequest(ctx, path, token, deps, span?.traceparent);
    ctx.counter.attempts = attemptNo;
    if (ctx.observed) ctx.emit({ type: 'request', ...callFields(ctx), attempt: attemptNo, method: request.method, path });
    const started = clock.now();
    const answered = (status: number) => {
      if (ctx.observed) {
        const latencyMs = clock.now() - started;
        ctx.emit({ type: 'response', ...callFields(ctx), attempt: attemptNo, method: request.method, path, status, latencyMs });
      }
    };
    let response: HttpResponse | BodyNotUtf8;
    try {
      response = await (span ? span.run(() => transport(request)) : transport(request));
      // A custom transport may ignore the limit: the answer it returned is held to it here.
      checkBodySize(response, request.maxResponseBytes);
    } catch (cause) {
      if (cause instanceof ResponseTooLarge) {
        answered(cause.status);
        span?.failed('RESPONSE_TOO_LARGE');
        throw responseTooLarge(ctx, cause, request.maxResponseBytes);
      }
      // A body that is not UTF-8 is still a whole answer: it is judged like a body that is not JSON.
      if (!(cause instanceof BodyNotUtf8)) {
        const errorCode = attemptErrorCode(ctx.signal);
        span?.failed(errorCode);
        ctx.emit({
          type: 'request_error',
          ...callFields(ctx),
          attempt: attemptNo,
          method: request.method,
          path,
          errorCode,
          latencyMs: clock.now() - started,
        });
        throw transportFailure(ctx, request, cause, errorCode, tokens);
      }
      response = cause;
    }
    answered(response.status);
    span?.answered(response.status);
    const context: ParseContext = {
      requestId: ctx.requestId,
      traceId: ctx.traceId,
      wallMs: clock.wallMs(),
      maxJsonDepth: deps.maxJsonDepth,
    };
    const parsed = response instanceof BodyNotUtf8 ? undecodableAnswer(response, context) : parseAnswer(response, context);
    if (parsed instanceof ModelwireError) {
      // A 2xx that could not be read is the attempt's failure too (4xx/5xx already are).
      if (response.status < 400) span?.failed(parsed.code);
      if (response.status === 401 && tokens.refreshable && !forceRefresh) return attempt(ctx, true);
      // Server messages are echoed to the caller: scrub anything that looks like our credential.
      const secrets = tokens.secrets();
      parsed.message = redactText(parsed.message, secrets);
      // A 404 from a base URL without /v1 is almost always the base URL's fault: say so.
      if (notFoundHint !== undefined && parsed instanceof NotFoundError) parsed.message += notFoundHint;
      for (const fieldError of parsed.errors) fieldError.message = redactText(fieldError.message, secrets);
      throw parsed;
    }
    return parsed;
  }

  return (ctx) => attempt(ctx, false);
}

/** Computed once per process; spread first so a caller's own `headers` option can replace it. */
const USER_AGENT: Record<string, string> = userAgent() === undefined ? {} : { 'user-agent': userAgent() as string };

function buildRequest(
  ctx: CallContext,
  path: string,
  token: string | undefined,
  deps: SendDeps,
  traceparent: string | undefined,
): HttpRequest {
  const headers: Record<string, string> = {
    ...USER_AGENT,
    ...deps.headers,
    accept: 'application/json',
    // No compression: the response limit then counts what was sent, and no decompression bomb can be.
    'accept-encoding': 'identity',
    'x-request-id': ctx.requestId,
    traceparent: traceparent ?? formatTraceparent({ traceId: ctx.traceId, flags: ctx.traceFlags }),
  };
  if (ctx.idempotencyKey) headers['idempotency-key'] = ctx.idempotencyKey;
  if (ctx.version !== undefined) headers['x-model-version'] = ctx.version;
  const body = ctx.body?.(ctx);
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return {
    method: ctx.method,
    url: deps.baseUrl + path,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: ctx.signal as AbortSignal,
    maxResponseBytes: deps.maxResponseBytes,
  };
}

/** Why an attempt got no answer: our per-attempt timer, the caller's abort, or the connection. */
function attemptErrorCode(signal: AbortSignal | undefined): AttemptErrorCode {
  if (!signal?.aborted) return 'CONNECTION_ERROR';
  return signal.reason instanceof AttemptTimedOut ? 'TIMEOUT' : 'ABORTED';
}

function transportFailure(ctx: CallContext, request: HttpRequest, cause: unknown, code: AttemptErrorCode, tokens: TokenSource): Error {
  if (code !== 'CONNECTION_ERROR') {
    // The timeout stage turns this into TimeoutError or AbortedError, whichever fired.
    return new AbortedError('the attempt was aborted', { code: 'ABORTED', requestId: ctx.requestId, traceId: ctx.traceId, cause });
  }
  const causeCode = (cause as { code?: unknown } | null)?.code;
  const detail = cause instanceof Error ? `${cause.message}${causeCode ? ` (${String(causeCode)})` : ''}` : String(cause);
  // The HTTP client's own message may quote the URL: its user:pass are hidden like tokens.
  const secrets = [...tokens.secrets(), ...urlCredentials(request.url)];
  return new ConnectionError(redactText(`could not reach ${urlForMessage(request.url)}: ${detail}`, secrets), {
    code: 'CONNECTION_ERROR',
    requestId: ctx.requestId,
    traceId: ctx.traceId,
    cause,
  });
}

/** The `user:pass@` of a URL, as written in it (percent-encoded) and decoded; none for a URL without. */
function urlCredentials(url: string): string[] {
  const { username, password } = URL.parse(url) ?? { username: '', password: '' };
  const parts = [username, password].filter((p) => p !== '');
  const decoded = parts.map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  return [...parts, ...decoded];
}

/** Throws `ResponseTooLarge` when a body a transport returned is above the limit (a UTF-16 unit is at most 3 UTF-8 bytes). */
function checkBodySize(response: HttpResponse, limit: number): void {
  const { body } = response;
  if (body.length * 3 <= limit) return;
  const bytes = byteLength(body);
  if (bytes > limit) throw new ResponseTooLarge(response.status, bytes);
}

function responseTooLarge(ctx: CallContext, cause: ResponseTooLarge, limit: number): MalformedResponseError {
  return new MalformedResponseError(
    `HTTP ${cause.status} answered with a body above maxResponseBytes (${limit}): at least ${cause.bytes} bytes; reading stopped there`,
    { code: 'RESPONSE_TOO_LARGE', httpStatus: cause.status, requestId: ctx.requestId, traceId: ctx.traceId },
  );
}

/**
 * The attempt's boundary for the answer: the parser never throws by design, but if anything in it
 * does, the answer still becomes a typed error — malformed on a 2xx, the status's kind otherwise.
 */
function parseAnswer(response: HttpResponse, context: ParseContext): Answer | ModelwireError {
  try {
    return parseResponse(response, context);
  } catch (cause) {
    if (response.status >= 200 && response.status < 300) {
      return new MalformedResponseError(`HTTP ${response.status} carried a body that could not be read: ${String(cause)}`, {
        code: 'MALFORMED_RESPONSE',
        httpStatus: response.status,
        requestId: context.requestId,
        traceId: context.traceId,
        cause,
      });
    }
    return errorFromResponse({ status: response.status, requestId: context.requestId, traceId: context.traceId });
  }
}
