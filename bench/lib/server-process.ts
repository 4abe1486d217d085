// The real server (server/index.ts) as a child process on a given database and port, as
// e2e/server.ts starts it but without the demo seed: the reliability suites SIGKILL it and start
// it again on the same database. Only 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from '../../server/db/migrator.ts';
import { sleep } from './common.ts';

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  output(): string;
  exited: Promise<number | null>;
  sigkill(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServerOptions {
  databaseUrl: string;
  port: number;
  env?: Record<string, string>;
  /** How long to wait for /healthz before giving up. */
  bootSeconds?: number;
  /** The script to run instead of the real server (bench/http.ts's baseline); it must answer /healthz. */
  entry?: string;
}

export async function startServer(options: ServerOptions): Promise<ServerProcess> {
  const base = `http://127.0.0.1:${options.port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    DATABASE_URL: options.databaseUrl,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    PUBLIC_URL: base,
    SEED_DEMO: 'never',
    LOG_LEVEL: 'error',
    STRIPE_EMULATOR_PORT: '0',
    ...options.env,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry ?? 'server/index.ts'], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (options.bootSeconds ?? 120) * 1000;
  for (;;) {
    if (gone) throw new Error(`The server exited during boot:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer /healthz in time:\n${tail}`);
    }
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  return {
    child,
    base,
    output: () => tail,
    exited,
    async sigkill() {
      if (!gone) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
