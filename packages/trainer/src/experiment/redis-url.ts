import net from 'node:net';
import { Redis, type RedisOptions } from 'ioredis';
import { UsageError } from '../errors';

/** Redis could not be reached or refused the credentials: one line, exit code 5. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
}

/** A parsed `--queue` URL: the connection options and a printable form without the password. */
export interface QueueTarget {
  connection: RedisOptions;
  /** The URL with any password replaced by `***`. */
  display: string;
}

/**
 * Parses `redis://[user][:password@]host[:port][/db]` or `rediss://...` (TLS). The password never
 * appears in `display` or in any error. A TLS server's certificate is checked against Node's CAs;
 * a private CA is added with `NODE_EXTRA_CA_CERTS=ca.pem` (docs/experiments.md).
 */
export function parseQueueUrl(url: string): QueueTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--queue must be a redis:// or rediss:// URL, got "${redact(url)}"`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new UsageError(`--queue must be a redis:// or rediss:// URL, got "${redact(url)}"`);
  const db = u.pathname && u.pathname !== '/' ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0)
    throw new UsageError(`--queue: the database number must be an integer, got "${u.pathname.slice(1)}"`);
  const host = u.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  const connection: RedisOptions = {
    host,
    port: u.port ? Number(u.port) : 6379,
    db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    // SNI carries host names only (RFC 6066): Node warns on an IP address, and checks the
    // certificate against `host` (its IP SANs) either way.
    ...(u.protocol === 'rediss:' ? { tls: net.isIP(host) ? {} : { servername: host } } : {}),
    // BullMQ workers block on Redis; they need unlimited retries per request.
    maxRetriesPerRequest: null,
  };
  return { connection, display: redact(url) };
}

/** The URL with the password (anything between `:` and `@` after the scheme) replaced by `***`. */
export function redact(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:]*):[^/@]*@/i, '$1:***@');
}

/** OpenSSL's codes for a server certificate that does not chain to a trusted CA. */
const TLS_UNTRUSTED_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'CERT_UNTRUSTED',
]);

/** OpenSSL's codes for a certificate used outside its validity dates. */
const TLS_DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);

/**
 * Why a connection failed, in one line: refused credentials, a certificate that does not chain to
 * a trusted CA (with how to trust a private one), one outside its dates, or the error's own message.
 */
export function connectFailure(err: Error & { code?: string }): string {
  const msg = err.message.split('\n')[0]!;
  if (/WRONGPASS|NOAUTH|invalid username-password/i.test(msg)) return `authentication failed (${msg})`;
  if (err.code && TLS_UNTRUSTED_CODES.has(err.code))
    return `TLS certificate not trusted (${msg}); trust a private CA with NODE_EXTRA_CA_CERTS=/path/to/ca.pem`;
  if (err.code && TLS_DATE_CODES.has(err.code))
    return `TLS certificate outside its validity dates (${msg}); renew the server's certificate or check this machine's clock`;
  return msg;
}

/**
 * Connects once, without retrying, and pings: an unreachable server or refused credentials become a
 * QueueUnavailableError (one line, no password), rather than the endless reconnects ioredis does
 * by default.
 */
export async function probeQueue(t: QueueTarget, timeoutMs = 5000): Promise<void> {
  const client = new Redis({
    ...t.connection,
    lazyConnect: true,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  let first: (Error & { code?: string }) | undefined;
  client.on('error', (err: Error) => {
    first ??= err;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    // The 'error' event says why (ECONNREFUSED, WRONGPASS); the rejection only that the connection closed.
    const why = connectFailure(first?.message ? first : (err as Error));
    throw new QueueUnavailableError(`cannot reach Redis at ${t.display}: ${why}`);
  } finally {
    client.disconnect();
  }
}

/** A new ioredis client for BullMQ (each Queue, Worker and FlowProducer gets its own). */
export function redisClient(t: QueueTarget): Redis {
  return new Redis(t.connection);
}
