// The real server (server/index.ts) as a child process on a given database and port, as
// e2e/server.ts starts it but without the demo seed: the reliability suites SIGKILL it and start
// it again on the same database. Only 127.0.0.1.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../server/db/migrator.ts';
import { sleep, type CpuSplit } from './common.ts';

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
  /**
   * The production shape: the built server as `npm start` runs it (`node [flags] dist/server/index.js`, built first when missing or
   * stale), NODE_ENV=production, a test-mode Stripe key (no emulator), no tsx in the process.
   */
  production?: boolean;
}

/** A memory field of /proc/<pid>/status (VmRSS, RssAnon, RssFile...) in MB, null when gone or not on Linux. */
export function procStatusMb(pid: number | undefined, field: string): number | null {
  if (!pid) return null;
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 102.4) / 10 : null;
  } catch {
    return null;
  }
}

/** Resident memory of a process in MB (VmRSS), null when it is gone or not on Linux. */
export function residentMb(pid: number | undefined): number | null {
  return procStatusMb(pid, 'VmRSS');
}

/**
 * A process's command name and its /proc/<pid>/stat fields after it, null when it is gone or not on
 * Linux. The name may hold spaces, so the fields start after its closing paren: utime, stime,
 * cutime and cstime are then [11] to [14], in clock ticks (USER_HZ, 100 on Linux).
 */
function procStat(pid: number | string): { name: string; fields: string[] } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { name: stat.slice(stat.indexOf('(') + 1, close), fields: stat.slice(close + 2).split(' ') };
  } catch {
    return null;
  }
}

/** CPU time a process has used so far in seconds (user + system), null when gone or not on Linux. */
export function cpuSeconds(pid: number | undefined): number | null {
  const stat = pid ? procStat(pid) : null;
  return stat ? (Number(stat.fields[11]) + Number(stat.fields[12])) / 100 : null;
}

/**
 * CPU time all PostgreSQL server processes have used so far in seconds (every process named
 * `postgres`: backends, WAL writer, checkpointer, autovacuum...), null when not on Linux. The
 * difference over a segment is the database's share of its work (with whatever else the server did
 * meanwhile: the bench's scratch database is the only busy one).
 */
export function postgresCpuSeconds(): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of entries) {
    const stat = procStat(pid); // null: gone meanwhile
    if (stat?.name !== 'postgres') continue;
    // utime, stime, and cutime + cstime: the postmaster's holds its children that have exited
    // (a connection closed during the segment, an autovacuum worker), so their work is not lost.
    const f = stat.fields;
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks / 100;
}

/**
 * Runs `run` and returns, with its result, the CPU seconds spent meanwhile by the process `pid` (the
 * server under test), by PostgreSQL and by this process (the load generator); null when /proc
 * cannot tell (not Linux, or the process is gone).
 */
export async function withCpu<T>(pid: number | undefined, run: () => Promise<T>): Promise<[T, CpuSplit | null]> {
  const before = { server: cpuSeconds(pid), postgres: postgresCpuSeconds(), client: process.cpuUsage() };
  const result = await run();
  // This process's first: reading /proc below is the bench's own work, not the load it generates.
  const client = process.cpuUsage(before.client);
  const server = cpuSeconds(pid);
  const postgres = postgresCpuSeconds();
  if (before.server === null || server === null || before.postgres === null || postgres === null) return [result, null];
  return [
    result,
    {
      server: server - before.server,
      postgres: postgres - before.postgres,
      client: (client.user + client.system) / 1e6,
    },
  ];
}

/**
 * `npm start`'s node arguments (package.json's one home for the production flags, e.g. the young
 * generation's size), so the production shape measured here is exactly what `npm start` runs.
 */
export function productionArgv(): string[] {
  const pkg = JSON.parse(readFileSync(`${PROJECT_ROOT}/package.json`, 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
  if (node !== 'node' || args.at(-1) !== 'dist/server/index.js') {
    throw new Error(`package.json's start script is not "node [flags] dist/server/index.js": ${pkg.scripts.start}`);
  }
  return args;
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
    ...(options.production
      ? {
          NODE_ENV: 'production',
          AUTH_SECRET: 'bench-production-auth-secret-0123456789abcdef',
          STRIPE_SECRET_KEY: 'sk_test_bench_production_shape',
        }
      : {}),
    ...options.env,
  };
  if (options.production) {
    const built = spawnSync(process.execPath, ['scripts/ensure-built.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
    if (built.status !== 0) throw new Error('Building dist/ for the production server failed');
  }
  const argv = options.production ? productionArgv() : ['--import', 'tsx', options.entry ?? 'server/index.ts'];
  const child = spawn(process.execPath, argv, {
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
