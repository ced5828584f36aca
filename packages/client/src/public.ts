// Everything both entry points export.

export type { CacheKeyParts, ScopeSource } from './cache-key.js';
export { cacheKey, scopeFor } from './cache-key.js';
export { canonicalJson } from './canonical-json.js';
export type { ModelwireClient } from './client.js';
export { createClientWith } from './client.js';
export type { Clock } from './clock.js';
export { systemClock } from './clock.js';
export * from './errors/error-classes.js';
export type { ErrorKind, FieldError, ModelwireErrorDetails } from './errors/modelwire-error.js';
export { ModelwireError } from './errors/modelwire-error.js';
export type { About as EventAbout, AttemptErrorCode, BreakerState, CallEnd, InCall as EventInCall, ModelwireEvent } from './events.js';
export type { RedisLike } from './fleet/redis-commands.js';
export { DEFAULT_POLICY } from './generated/policy.js';
export type { FallbackInfo } from './internal/call-context.js';
export { sha256Hex } from './internal/sha256.js';
export type { AuthOptions, BreakerOptions, CacheOptions, ClientOptions, FleetOptions, OidcOptions, RetryOptions } from './options.js';
export { PIPELINE_ORDER } from './pipeline.js';
export { redactHeaders } from './redact.js';
export { parseRetryAfter } from './retry-after.js';
export type { OtelMeterProvider, OtelTracerProvider, TelemetryOptions } from './telemetry/otel-api.js';
export { ManualClock } from './testing-clock.js';
export { kyTransport } from './transport/ky-transport.js';
export type { HttpRequest, HttpResponse, Transport } from './transport/transport.js';
export { BodyNotUtf8, ResponseTooLarge } from './transport/transport.js';
export type * from './types.js';
export type { VerifyWebhookOptions, WebhookFailureReason } from './webhook.js';
export { signWebhook, verifyWebhook, WebhookVerificationError } from './webhook.js';
