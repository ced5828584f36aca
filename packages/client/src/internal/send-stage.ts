import type { TokenSource } from '../auth.js';
import type { Clock } from '../clock.js';
import { AbortedError, ConnectionError } from '../errors/error-classes.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import type { AttemptErrorCode } from '../events.js';
import { AttemptTimedOut } from '../policies/timeout-stage.js';
import { redactText } from '../redact.js';
import { formatTraceparent } from '../trace.js';
import type { HttpRequest, HttpResponse, Transport } from '../transport/transport.js';
import { type Answer, type CallContext, callFields } from './call-context.js';
import { parseResponse } from './parse-response.js';

interface SendDeps {
  baseUrl: string;
  transport: Transport;
  tokens: TokenSource;
  clock: Clock;
  headers: Record<string, string>;
}

/**
 * The pipeline's last step: one HTTP attempt. Builds the headers (ids, trace, version pin, bearer
 * token), sends through the transport, parses the answer, and on a 401 repeats once with a fresh
 * token when the credential can be refreshed (a new attempt, not a retry).
 *
 * @example const send = sendStage({ baseUrl, transport, tokens, clock, headers: {} });
 */
export function sendStage(deps: SendDeps): (ctx: CallContext) => Promise<Answer> {
  const { transport, tokens, clock } = deps;

  async function attempt(ctx: CallContext, forceRefresh: boolean): Promise<Answer> {
    const path = ctx.path(ctx.model ?? '');
    // The first attempt reuses the token the cache scope was computed from, so a provider is asked once per call.
    const token =
      !forceRefresh && ctx.counter.attempts === 0 && ctx.presetToken !== undefined
        ? ctx.presetToken
        : await tokens.token(forceRefresh, ctx.signal);
    const request = buildRequest(ctx, path, token, deps.baseUrl, deps.headers);
    const attemptNo = ++ctx.counter.attempts;
    if (ctx.observed) ctx.emit({ type: 'request', ...callFields(ctx), attempt: attemptNo, method: request.method, path });
    const started = clock.now();
    let response: HttpResponse;
    try {
      response = await transport(request);
    } catch (cause) {
      const errorCode = attemptErrorCode(ctx.signal);
      ctx.emit({ type: 'request_error', ...callFields(ctx), attempt: attemptNo, errorCode, latencyMs: clock.now() - started });
      throw transportFailure(ctx, request, cause, errorCode, tokens);
    }
    if (ctx.observed) {
      const latencyMs = clock.now() - started;
      ctx.emit({
        type: 'response',
        ...callFields(ctx),
        attempt: attemptNo,
        method: request.method,
        path,
        status: response.status,
        latencyMs,
      });
    }
    const parsed = parseResponse(response, { requestId: ctx.requestId, traceId: ctx.traceId, wallMs: clock.wallMs() });
    if (parsed instanceof ModelwireError) {
      if (response.status === 401 && tokens.refreshable && !forceRefresh) return attempt(ctx, true);
      // Server messages are echoed to the caller: scrub anything that looks like our credential.
      const secrets = tokens.secrets();
      parsed.message = redactText(parsed.message, secrets);
      for (const fieldError of parsed.errors) fieldError.message = redactText(fieldError.message, secrets);
      throw parsed;
    }
    return parsed;
  }

  return (ctx) => attempt(ctx, false);
}

function buildRequest(
  ctx: CallContext,
  path: string,
  token: string | undefined,
  baseUrl: string,
  extraHeaders: Record<string, string>,
): HttpRequest {
  const headers: Record<string, string> = {
    ...extraHeaders,
    accept: 'application/json',
    'x-request-id': ctx.requestId,
    traceparent: formatTraceparent({ traceId: ctx.traceId, flags: ctx.traceFlags }),
  };
  if (ctx.idempotencyKey) headers['idempotency-key'] = ctx.idempotencyKey;
  if (ctx.version !== undefined) headers['x-model-version'] = ctx.version;
  const body = ctx.body?.(ctx);
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return {
    method: ctx.method,
    url: baseUrl + path,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: ctx.signal as AbortSignal,
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
  return new ConnectionError(redactText(`could not reach ${request.url}: ${detail}`, tokens.secrets()), {
    code: 'CONNECTION_ERROR',
    requestId: ctx.requestId,
    traceId: ctx.traceId,
  });
}
