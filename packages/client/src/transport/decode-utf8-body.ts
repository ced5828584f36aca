import { BodyNotUtf8, type HttpResponse } from './transport.js';

// Fatal: an invalid byte throws instead of becoming U+FFFD. As fast as the lenient decoder (measured);
// a leading BOM is skipped, as undici's and fetch's text() do.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a whole response body as UTF-8, rejecting invalid bytes with `BodyNotUtf8` (both transports
 * read bodies through this).
 *
 * @example const body = decodeUtf8Body(bytes, response.status, headers);
 */
export function decodeUtf8Body(bytes: Uint8Array, status: number, headers: HttpResponse['headers']): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new BodyNotUtf8(status, headers);
  }
}
