/** The header that carries a job callback's signature (signed with `signWebhook` from `@modelwire/client`). */
export const SIGNATURE_HEADER = 'X-Modelwire-Signature';

/** The secret the mock signs callbacks with unless told otherwise. @example verifyWebhook(raw, headers, DEFAULT_WEBHOOK_SECRET) */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_modelwire_mock';
