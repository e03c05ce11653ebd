// Test support (not exported): a private redis-server on a free loopback port, and a free port.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SystemTool } from '../../../../test/system-tools';

/** Debian's Redis server, which the BullMQ tests start on a free port. */
export const REDIS: SystemTool = {
  name: 'redis-server',
  path: '/usr/bin/redis-server',
  aptPackage: 'redis-server',
};

/** A loopback port nothing listens on (taken and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running test Redis: its URL (with the password) and how to stop it. */
export interface TestRedis {
  port: number;
  password: string;
  url: string;
  stop: () => Promise<void>;
}

/** The server side of a TLS Redis: its certificate and key, and the CA that signed them (PEM files). */
export interface RedisTls {
  cert: string;
  key: string;
  ca: string;
}

/**
 * Starts redis-server on a free loopback port with a password and no persistence; resolves once it
 * accepts connections. With `tls` it listens with TLS only (the URL is `rediss://`), without
 * asking clients for certificates.
 */
export async function startRedis(password = 'test-secret-9f2', tls?: RedisTls): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stnas-redis-'));
  const listen = tls
    ? [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--tls-cert-file',
        tls.cert,
        '--tls-key-file',
        tls.key,
        '--tls-ca-cert-file',
        tls.ca,
        '--tls-auth-clients',
        'no',
      ]
    : ['--port', String(port)];
  const child: ChildProcess = spawn(
    REDIS.path,
    [
      ...listen,
      '--bind',
      '127.0.0.1',
      '--requirepass',
      password,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  for (let k = 0; k < 100; k++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (up)
      return { port, password, url: `${tls ? 'rediss' : 'redis'}://:${password}@127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop();
  throw new Error(`redis-server did not start on port ${port}`);
}
