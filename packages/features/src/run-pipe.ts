import { spawn } from 'node:child_process';

/**
 * Runs `command` through `sh -c` and returns its stdout; a failure to start or a non-zero exit is an
 * error that starts with `where` and quotes the command and the start of its stderr.
 */
export async function runPipe(command: string, where: string): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', (e) =>
      reject(new Error(`${where}: cannot run ${JSON.stringify(command)}: ${e.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else
        reject(
          new Error(`${where}: ${JSON.stringify(command)} exited with ${code}: ${err.trim().slice(0, 300)}`),
        );
    });
  });
}
