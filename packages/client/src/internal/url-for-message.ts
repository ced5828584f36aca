/**
 * A URL as messages show it: scheme, host, port and path, without credentials (`user:pass@`), query
 * or fragment (docs/semantics.md "Errors": credentials of a base URL never appear in a message).
 *
 * @example urlForMessage('http://svc:s3cret@10.0.0.5:8080/v1/models/m/predict?key=k') // 'http://10.0.0.5:8080/v1/models/m/predict'
 */
export function urlForMessage(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    // Not a URL (a custom transport's string): show nothing of it rather than risk a credential.
    return '(unparseable URL)';
  }
}
