import { DEFAULT_POLICY } from './generated/policy.js';

type NodeCrypto = {
  createHmac(alg: string, key: string): { update(d: string | Uint8Array): { digest(): Uint8Array } };
  timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean;
};

/** Why a webhook was rejected. */
export type WebhookFailureReason = 'malformed_header' | 'timestamp_out_of_tolerance' | 'signature_mismatch';

/**
 * A job callback that did not verify. Answer the gateway with 400 and do not trust the body.
 *
 * @example
 * catch (e) { if (e instanceof WebhookVerificationError) res.status(400).send(e.reason); }
 */
export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/** Options for {@link verifyWebhook}. @example verifyWebhook(raw, headers, secret, { toleranceSeconds: 60 }) */
export interface VerifyWebhookOptions {
  /** Allowed clock skew in seconds (default from the contract: 300). */
  toleranceSeconds?: number;
  /** "Now" in unix seconds (tests). */
  now?: number;
}

const HEADER = 'x-modelwire-signature';

function headerValue(headers: Headers | Record<string, string | string[] | undefined>): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(HEADER) ?? undefined;
  for (const [name, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (name.toLowerCase() === HEADER) return Array.isArray(value) ? value.join(',') : value;
  }
  return undefined;
}

/**
 * Verifies a signed job callback (`X-Modelwire-Signature: t=<unix>,v1=<hex>`) against the RAW body
 * and returns the parsed payload. Several `v1` entries (secret rotation) pass when any matches;
 * several secrets may be given too. Node only (uses `node:crypto`).
 *
 * @example
 * app.post('/hooks/modelwire', (req, res) => {
 *   const job = verifyWebhook(req.rawBody, req.headers, process.env.MODELWIRE_WEBHOOK_SECRET);
 *   res.status(204).end();
 * });
 */
export function verifyWebhook<T = unknown>(
  rawBody: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): T {
  const crypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
    | NodeCrypto
    | undefined;
  if (!crypto) throw new Error('verifyWebhook needs node:crypto (run it on your server, not in a browser)');
  const header = headerValue(headers);
  if (!header) throw new WebhookVerificationError('malformed_header', `missing ${HEADER} header`);
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new WebhookVerificationError('malformed_header', `${HEADER} has a part without "=": expected t=<unix>,v1=<hex>`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value)) throw new WebhookVerificationError('malformed_header', 't= must be unix seconds');
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/.test(value)) throw new WebhookVerificationError('malformed_header', 'v1= must be 64 lowercase hex characters');
      signatures.push(value);
    }
  }
  if (timestamp === undefined || signatures.length === 0) {
    throw new WebhookVerificationError('malformed_header', `${HEADER} needs both t= and at least one v1=`);
  }
  const tolerance = options.toleranceSeconds ?? DEFAULT_POLICY.webhook.toleranceSeconds;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'timestamp_out_of_tolerance',
      `signature timestamp is ${now - timestamp}s away from now (tolerance ${tolerance}s): replayed or clocks skewed`,
    );
  }
  const body = typeof rawBody === 'string' ? new TextEncoder().encode(rawBody) : rawBody;
  const prefix = new TextEncoder().encode(`${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  const secrets = Array.isArray(secret) ? secret : [secret];
  const ok = secrets.some((s) => {
    const expected = crypto.createHmac('sha256', s).update(signed).digest();
    return signatures.some((sig) => {
      const given = Uint8Array.from(sig.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
      return given.length === expected.length && crypto.timingSafeEqual(given, expected);
    });
  });
  if (!ok) throw new WebhookVerificationError('signature_mismatch', 'no v1 signature matches the body and secret');
  return JSON.parse(new TextDecoder().decode(body)) as T;
}

/**
 * Signs a webhook body the way the gateway does (for tests and the mock server).
 *
 * @example
 * const header = signWebhook(body, 'whsec', Math.floor(Date.now() / 1000));
 */
export function signWebhook(rawBody: string, secret: string, timestamp: number): string {
  const crypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
    'node:crypto',
  ) as { createHmac(a: string, k: string): { update(d: string): { digest(e: string): string } } };
  return `t=${timestamp},v1=${crypto.createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;
}
