// Test support (not exported): a throwaway certificate authority for a TLS Redis on 127.0.0.1,
// made with the openssl command line.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENSSL } from '../../../../test/system-tools';
import type { RedisTls } from './test-redis';

/** A server certificate for 127.0.0.1 with its CA, and a second CA that did not sign it. */
export interface TestCa extends RedisTls {
  /** A CA unrelated to the server's certificate (a client that trusts only it must fail). */
  otherCa: string;
}

/**
 * Writes into `dir` a CA, a server key and certificate for IP 127.0.0.1 signed by it (valid one
 * day), and an unrelated CA. EC P-256 keys: each takes milliseconds, where RSA takes a while.
 */
export function makeTestCa(dir: string): TestCa {
  const f = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync(OPENSSL.path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  for (const [name, cn] of [
    ['ca', 'stnas test CA'],
    ['other-ca', 'stnas unrelated CA'],
  ] as const)
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      f(`${name}.key`),
      '-out',
      f(`${name}.crt`),
      '-days',
      '1',
      '-subj',
      `/CN=${cn}`,
    );
  openssl('req', ...ec, '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(f('server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    f('server.csr'),
    '-CA',
    f('ca.crt'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('server.crt'),
    '-days',
    '1',
    '-extfile',
    f('server.ext'),
  );
  return { ca: f('ca.crt'), cert: f('server.crt'), key: f('server.key'), otherCa: f('other-ca.crt') };
}
