import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM material for an mTLS test: a CA, a server certificate for 127.0.0.1 and a client certificate, both signed by the CA. */
export interface TestCerts {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/**
 * Makes a throw-away CA, server and client certificate with the `openssl` CLI (OpenSSL 3), valid for a day.
 *
 * @example const certs = makeTestCerts(); https.createServer({ ca: certs.ca, cert: certs.serverCert, key: certs.serverKey, requestCert: true });
 */
export function makeTestCerts(): TestCerts {
  const dir = mkdtempSync(join(tmpdir(), 'modelwire-certs-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    openssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=modelwire test CA',
      '-keyout',
      at('ca.key'),
      '-out',
      at('ca.pem'),
    );
    for (const [name, extensions] of [
      ['server', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
      ['client', 'extendedKeyUsage=clientAuth\n'],
    ] as const) {
      writeFileSync(at(`${name}.ext`), extensions);
      openssl(
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-subj',
        `/CN=modelwire test ${name}`,
        '-keyout',
        at(`${name}.key`),
        '-out',
        at(`${name}.csr`),
      );
      openssl(
        'x509',
        '-req',
        '-in',
        at(`${name}.csr`),
        '-CA',
        at('ca.pem'),
        '-CAkey',
        at('ca.key'),
        '-CAcreateserial',
        '-days',
        '1',
        '-extfile',
        at(`${name}.ext`),
        '-out',
        at(`${name}.pem`),
      );
    }
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return {
      ca: read('ca.pem'),
      serverCert: read('server.pem'),
      serverKey: read('server.key'),
      clientCert: read('client.pem'),
      clientKey: read('client.key'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
