import { describe, expect, it } from 'vitest';
import { connectFailure, parseQueueUrl, redact } from './redis-url';

describe('parseQueueUrl', () => {
  it('reads host, port, database, user, password and TLS, and never shows the password', () => {
    const t = parseQueueUrl('rediss://worker:p%40ss@redis.example:6380/2');
    expect(t.connection).toMatchObject({
      host: 'redis.example',
      port: 6380,
      db: 2,
      username: 'worker',
      password: 'p@ss',
      tls: { servername: 'redis.example' },
    });
    expect(t.display).toBe('rediss://worker:***@redis.example:6380/2');
    expect(parseQueueUrl('redis://:secret@10.0.0.1').display).toBe('redis://:***@10.0.0.1');
    expect(parseQueueUrl('redis://127.0.0.1').connection).toMatchObject({
      host: '127.0.0.1',
      port: 6379,
      db: 0,
    });
    expect(parseQueueUrl('redis://127.0.0.1').connection.tls).toBeUndefined();
    // No SNI for an IP address (RFC 6066; Node warns on one): the certificate is checked against the IP.
    expect(parseQueueUrl('rediss://:pw@127.0.0.1:6380').connection.tls).toEqual({});
    expect(parseQueueUrl('rediss://[::1]:6380').connection).toMatchObject({ host: '::1', tls: {} });
  });

  it('rejects other schemes without echoing a password', () => {
    expect(() => parseQueueUrl('http://:hunter2@host')).toThrow(
      '--queue must be a redis:// or rediss:// URL, got "http://:***@host"',
    );
    expect(() => parseQueueUrl('redis://host/x')).toThrow(
      '--queue: the database number must be an integer, got "x"',
    );
    expect(redact('redis://u:pw@h:1')).toBe('redis://u:***@h:1');
    expect(redact('redis://h:1')).toBe('redis://h:1');
  });
});

describe('connectFailure', () => {
  const fail = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
  it('names refused credentials, an untrusted certificate and an expired one apart', () => {
    expect(connectFailure(fail('WRONGPASS invalid username-password pair'))).toBe(
      'authentication failed (WRONGPASS invalid username-password pair)',
    );
    expect(
      connectFailure(fail('self-signed certificate in certificate chain', 'SELF_SIGNED_CERT_IN_CHAIN')),
    ).toBe(
      'TLS certificate not trusted (self-signed certificate in certificate chain); trust a private CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
    );
    // Trusting a CA does not mend an expired certificate, so the advice differs.
    expect(connectFailure(fail('certificate has expired', 'CERT_HAS_EXPIRED'))).toBe(
      "TLS certificate outside its validity dates (certificate has expired); renew the server's certificate or check this machine's clock",
    );
    expect(connectFailure(fail('connect ECONNREFUSED 127.0.0.1:1\nmore', 'ECONNREFUSED'))).toBe(
      'connect ECONNREFUSED 127.0.0.1:1',
    );
  });
});
