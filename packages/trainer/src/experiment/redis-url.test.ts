import { describe, expect, it } from 'vitest';
import { parseQueueUrl, redact } from './redis-url';

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
