/** This SDK's version (the OpenTelemetry instrumentation scope's version too). */
export const CLIENT_VERSION = '0.1.0';

/** Names this SDK to the gateway: `meta.client` in prediction and job bodies, and `User-Agent` from Node. */
export const CLIENT_ID = `modelwire-ts/${CLIENT_VERSION}`;

/**
 * The `User-Agent` to send, or undefined where the runtime sets its own (browsers: there a custom
 * `User-Agent` is ignored or, in some, forces the gateway's CORS rules to list it).
 *
 * @example userAgent() // 'modelwire-ts/0.1.0' in Node
 */
export function userAgent(): string | undefined {
  const runtime = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return runtime?.versions?.node === undefined ? undefined : CLIENT_ID;
}
