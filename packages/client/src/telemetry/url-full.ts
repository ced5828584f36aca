/**
 * `url.full` for an attempt span (OpenTelemetry HTTP semantic conventions): credentials become
 * `REDACTED:REDACTED@` and every query parameter's value `REDACTED`, so no secret of a base URL or a
 * query reaches a span.
 *
 * @example urlFull('http://svc:pw@10.0.0.5:8080/v1/models/m/predict?key=k') // 'http://REDACTED:REDACTED@10.0.0.5:8080/v1/models/m/predict?key=REDACTED'
 */
export function urlFull(url: string): string {
  const parsed = URL.parse(url);
  if (parsed === null) return '(unparseable URL)';
  const auth = parsed.username !== '' || parsed.password !== '' ? 'REDACTED:REDACTED@' : '';
  const query = [...parsed.searchParams.keys()].map((key) => `${encodeURIComponent(key)}=REDACTED`).join('&');
  return `${parsed.protocol}//${auth}${parsed.host}${parsed.pathname}${query ? `?${query}` : ''}`;
}

/** `server.address` and `server.port` of a URL (the port also when it is the scheme's default). @example serverOf('https://gw.example/v1') // { address: 'gw.example', port: 443 } */
export function serverOf(url: string): { address: string; port: number } {
  const parsed = URL.parse(url);
  if (parsed === null) return { address: '', port: 0 };
  const port = parsed.port !== '' ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
  // URL keeps IPv6 literals in brackets; semconv wants the bare address.
  return { address: parsed.hostname.replace(/^\[(.*)\]$/, '$1'), port };
}
