import { createHmac } from 'node:crypto';

/** The header that carries a job callback's signature. */
export const SIGNATURE_HEADER = 'X-Modelwire-Signature';

/** The secret the mock signs callbacks with unless told otherwise. */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_modelwire_mock';

/**
 * Signs a callback body: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`.
 *
 * @example
 * signWebhook('s3cret', '{"a":1}', 1764000000); // 't=1764000000,v1=…'
 */
export function signWebhook(secret: string, rawBody: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${rawBody}`, 'utf8').digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}
