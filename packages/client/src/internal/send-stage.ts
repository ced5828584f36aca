import type { TokenSource } from '../auth.js';
import type { Clock } from '../clock.js';
import { AbortedError, ConnectionError } from '../errors/error-classes.js';
import { ModelwireError } from '../errors/modelwire-error.js';
import { redactHeaders, redactText } from '../redact.js';
import { formatTraceparent } from '../trace.js';
import type { HttpRequest, HttpResponse, Transport } from '../transport/transport.js';
import type { Answer, CallContext } from './call-context.js';
import { parseResponse } from './parse-response.js';

/**
 * The pipeline's last step: one HTTP attempt. Builds the headers (ids, trace, version pin, bearer
 * token), sends through the transport, parses the answer, and on a 401 repeats once with a fresh
 * token when the credential can be refreshed.
 *
 * @example const send = sendStage({ baseUrl, transport, tokens, clock, headers: {} });
 */
export function sendStage(deps: {
  baseUrl: string;
  transport: Transport;
  tokens: TokenSource;
  clock: Clock;
  headers: Record<string, string>;
}): (ctx: CallContext) => Promise<Answer> {
  const { baseUrl, transport, tokens, clock } = deps;

  async function attempt(ctx: CallContext, forceRefresh: boolean): Promise<Answer> {
    const model = ctx.model ?? '';
    const headers: Record<string, string> = {
      ...deps.headers,
      accept: 'application/json',
      'x-request-id': ctx.requestId,
      traceparent: formatTraceparent({ traceId: ctx.traceId, flags: ctx.traceFlags }),
    };
    if (ctx.idempotencyKey) headers['idempotency-key'] = ctx.idempotencyKey;
    if (ctx.version !== undefined) headers['x-model-version'] = ctx.version;
    const body = ctx.body?.(ctx);
    if (body !== undefined) headers['content-type'] = 'application/json';
    // The first attempt reuses the token the cache scope was computed from, so a provider is asked once per call.
    const token =
      !forceRefresh && ctx.counter.attempts === 0 && ctx.presetToken !== undefined
        ? ctx.presetToken
        : await tokens.token(forceRefresh, ctx.signal);
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const request: HttpRequest = {
      method: ctx.method,
      url: baseUrl + ctx.path(model),
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: ctx.signal as AbortSignal,
    };
    const attemptNo = ++ctx.counter.attempts;
    if (ctx.observed)
      ctx.emit({
        type: 'request',
        model: ctx.model,
        method: request.method,
        url: request.url,
        requestId: ctx.requestId,
        attempt: attemptNo,
        headers: redactHeaders(headers),
      });
    const started = clock.now();
    let response: HttpResponse;
    try {
      response = await transport(request);
    } catch (cause) {
      const latencyMs = clock.now() - started;
      if (ctx.signal?.aborted) {
        ctx.emit({ type: 'request_error', model: ctx.model, requestId: ctx.requestId, attempt: attemptNo, kind: 'Aborted', latencyMs });
        // The timeout stage turns this into TimeoutError or AbortedError, whichever fired.
        throw new AbortedError('the attempt was aborted', { code: 'ABORTED', requestId: ctx.requestId, traceId: ctx.traceId, cause });
      }
      ctx.emit({ type: 'request_error', model: ctx.model, requestId: ctx.requestId, attempt: attemptNo, kind: 'Connection', latencyMs });
      const detail =
        cause instanceof Error
          ? `${cause.message}${(cause as { code?: string }).code ? ` (${(cause as { code?: string }).code})` : ''}`
          : String(cause);
      throw new ConnectionError(redactText(`could not reach ${request.url}: ${detail}`, tokens.secrets()), {
        code: 'CONNECTION_ERROR',
        requestId: ctx.requestId,
        traceId: ctx.traceId,
      });
    }
    if (ctx.observed)
      ctx.emit({
        type: 'response',
        model: ctx.model,
        method: request.method,
        url: request.url,
        requestId: ctx.requestId,
        attempt: attemptNo,
        status: response.status,
        latencyMs: clock.now() - started,
      });
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
