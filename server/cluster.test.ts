// Two real server processes on one empty PostgreSQL database, started at the same moment: the
// production shape of issue 20. Migrations run once (advisory lock), the bootstrap key is one row,
// both answer /livez and /healthz, a key revoked through one database is refused by both, failed
// sign-ins on one count on the other, and every scheduled pg-boss job runs once per tick across the
// pair, with nothing ticking in between (jobs are woken by their work). A third process on the same database shows the drain: SIGTERM lets in-flight requests
// finish, refuses new ones and exits within SHUTDOWN_GRACE_SECONDS.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sparePort } from '../bench/lib/common.ts';
import { startServer, type ServerProcess } from '../bench/lib/server-process.ts';
import { withDatabase } from '../test/global-setup.ts';
import { until } from '../test/until.ts';
import { readMigrations } from './db/migrator.ts';
import { JOBS } from './jobs/registry.ts';
import { SYSTEM_ACTOR } from './lib/actor.ts';
import { createPrisma, type Db } from './db/client.ts';
import { createApiKey } from './modules/api-keys/create-api-key.ts';
import { revokeApiKey } from './modules/api-keys/revoke-api-key.ts';

const base = process.env.TEST_DATABASE_URL;
const SERVICE_API_KEY = 'cluster-test-service-key-0123456789';
const name = `creditdesk_cluster_${randomBytes(4).toString('hex')}`;
let url: string;
let servers: ServerProcess[] = [];
let prisma: Db;
let startedAt: number;

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  await client.query(sql).finally(() => client.end());
}

beforeAll(async () => {
  if (!base) return;
  await admin(`CREATE DATABASE "${name}"`); // empty: both processes find every migration pending
  url = withDatabase(base, name);
  const ports = [await sparePort(), await sparePort()];
  startedAt = Date.now();
  servers = await Promise.all(
    ports.map((port) =>
      startServer({
        databaseUrl: url,
        port,
        bootSeconds: 150,
        env: { SERVICE_API_KEY, LOG_LEVEL: 'warn', LOGIN_MAX_FAILURES: '3' },
      }),
    ),
  );
  prisma = createPrisma(url, { max: 2 });
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  await prisma?.$disconnect();
  if (base) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

it.skipIf(!base)('applies every migration exactly once although both processes booted together', async () => {
  const rows = await prisma.$queryRaw<Array<{ migration_name: string; n: bigint }>>`
    SELECT migration_name, count(*) AS n FROM _prisma_migrations GROUP BY migration_name`;
  expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().migrationDirectories.map((d) => d.path));
  expect(rows.every((r) => r.n === 1n)).toBe(true);
  expect(await prisma.apiKey.count({ where: { createdBy: 'system:env' } })).toBe(1);
});

it.skipIf(!base)('both answer /livez and /healthz', async () => {
  for (const s of servers) {
    expect((await fetch(`${s.base}/livez`)).status).toBe(200);
    expect(await (await fetch(`${s.base}/healthz`)).json()).toMatchObject({ status: 'ok', database: 'ok' });
  }
});

it.skipIf(!base)('a key revoked in one place is refused by both processes', async () => {
  const { apiKey, key } = await createApiKey(prisma, { name: 'cluster', actor: SYSTEM_ACTOR });
  const call = (s: ServerProcess) =>
    fetch(`${s.base}/api/v1/customers/nobody`, { headers: { authorization: `Bearer ${key}` } }).then((r) => r.status);
  for (const s of servers) expect(await call(s)).toBe(404); // authenticated (and cached), no such customer
  await revokeApiKey(prisma, { id: apiKey.id, reason: 'cluster test', actor: SYSTEM_ACTOR });
  for (const s of servers) await until(async () => (await call(s)) === 401, 10_000);
});

it.skipIf(!base)('counts failed sign-ins on one process against the other (the limiter is in PostgreSQL)', async () => {
  const signIn = (s: ServerProcess) =>
    fetch(`${s.base}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.base },
      body: JSON.stringify({ email: 'nobody@cluster.example', password: 'wrong-password-1' }),
    }).then((r) => r.status);
  const [a, b] = servers as [ServerProcess, ServerProcess];
  // LOGIN_MAX_FAILURES=3: two failures on A and one on B use up the window for this IP and email.
  expect(await signIn(a)).toBe(401);
  expect(await signIn(a)).toBe(401);
  expect(await signIn(b)).toBe(401);
  expect(await signIn(b)).toBe(429);
  expect(await signIn(a)).toBe(429);
});

it.skipIf(!base)(
  'drains on SIGTERM: an in-flight request completes, new ones are refused, the process exits within the grace period',
  async () => {
    const grace = 4;
    const port = await sparePort();
    const s = await startServer({
      databaseUrl: url,
      port,
      bootSeconds: 150,
      env: { SERVICE_API_KEY, LOG_LEVEL: 'warn', SHUTDOWN_GRACE_SECONDS: String(grace) },
    });
    try {
      // Two requests in flight: each has sent its headers and half its body.
      const slow = (externalId: string) => {
        const body = JSON.stringify({ email: `${externalId}@cluster.example` });
        const half = Math.floor(body.length / 2);
        let finish = () => {};
        const answer = new Promise<number>((resolve, reject) => {
          const req = http.request(
            {
              host: '127.0.0.1',
              port,
              method: 'PUT',
              path: `/api/v1/customers/${externalId}`,
              headers: {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(body),
                authorization: `Bearer ${SERVICE_API_KEY}`,
              },
            },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          );
          req.on('error', reject);
          req.write(body.slice(0, half));
          finish = () => req.end(body.slice(half));
        });
        return { answer, finish: () => finish() };
      };
      const completes = slow('drain_completes');
      const neverFinishes = slow('drain_cut_off');
      neverFinishes.answer.catch(() => {}); // cut off at the deadline
      await new Promise((r) => setTimeout(r, 300)); // both reached the server
      const signalled = Date.now();
      s.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 500));

      // New requests: refused (the listener is closed) or answered 503, never served.
      const fresh = await fetch(`${s.base}/livez`).then(
        (r) => r.status,
        () => 'refused' as const,
      );
      expect([503, 'refused']).toContain(fresh);

      // The slow one is still served after the signal.
      completes.finish();
      expect(await completes.answer).toBe(200);
      expect(await prisma.customer.count({ where: { externalId: 'drain_completes' } })).toBe(1);

      // The other never completes: the process exits at the deadline (exit 1), not later.
      const code = await s.exited;
      const took = (Date.now() - signalled) / 1000;
      expect(code).toBe(1);
      expect(took).toBeLessThan(grace + 2);
      expect(took).toBeGreaterThanOrEqual(grace - 0.5);
      expect(await prisma.customer.count({ where: { externalId: 'drain_cut_off' } })).toBe(0);
    } finally {
      await s.stop();
    }
  },
  180_000,
);

it.skipIf(!base)(
  'runs each scheduled job once per tick across both processes',
  async () => {
    // pg-boss evaluates cron at start and every 30 s; wait until both have had two chances, counted
    // from when their job runners started (a slow boot on a busy machine can take most of a minute),
    // and until each every-minute job has had a cron run.
    const names = JOBS.filter((j) => j.schedule).map((j) => j.name);
    const everyMinute = ['stripe-event-retry', 'outbound-dispatch', 'auto-topup'];
    const cronRuns = () => prisma.$queryRaw<Array<{ name: string; runs: bigint }>>`
      SELECT name, count(*) AS runs FROM pgboss.job
       WHERE name = ANY(${everyMinute}) AND COALESCE(singleton_key, '') NOT LIKE 'wake%' AND state = 'completed'
       GROUP BY name`;
    const [runnersStarted] = await prisma.$queryRaw<Array<{ at: Date | null }>>`
      SELECT min(created_on) AS at FROM pgboss.job WHERE singleton_key = 'wake'`;
    const since = Math.max(startedAt, runnersStarted?.at?.getTime() ?? startedAt);
    await new Promise((r) => setTimeout(r, Math.max(0, since + 70_000 - Date.now())));
    await until(async () => (await cronRuns()).length === everyMinute.length, 90_000, 1000);
    const schedules = await prisma.$queryRaw<Array<{ name: string; n: bigint }>>`
      SELECT name, count(*) AS n FROM pgboss.schedule GROUP BY name`;
    expect(schedules.map((s) => s.name).sort()).toEqual([...names].sort());
    expect(schedules.every((s) => s.n === 1n)).toBe(true);
    // Each cron occurrence is forwarded once through pg-boss's send-it queue (one row per job and
    // slot, whichever process saw it), so no job may have run more often than it had occurrences.
    // Counting per wall-clock minute cannot tell a duplicate from a start-up catch-up (the missed
    // occurrence and the current one, both created in one minute). Wakes (keys 'wake' and
    // 'wake-at:…', server/jobs/wake.ts) run extra by design; their queue policy keeps one at a time.
    // No job ticks any more: outbound-dispatch and auto-topup are woken by their work and are held
    // to their cron like every other job (a 2-second ticker on two processes would have queued ~70).
    expect(JOBS.filter((j) => j.wakeOn).map((j) => j.name)).toEqual(['outbound-dispatch', 'auto-topup']);
    const runs = await prisma.$queryRaw<Array<{ name: string; runs: bigint; occurrences: bigint }>>`
      SELECT j.name, count(*) AS runs,
             (SELECT count(DISTINCT s.singleton_on) FROM pgboss.job s
               WHERE s.name = '__pgboss__send-it' AND s.data->>'name' = j.name) AS occurrences
        FROM pgboss.job j
       WHERE j.name = ANY(${names}) AND COALESCE(j.singleton_key, '') NOT LIKE 'wake%'
       GROUP BY j.name`;
    // Every-minute jobs ran (so this can fail), and none ran more often than it was due.
    for (const job of everyMinute) {
      expect(runs.find((r) => r.name === job)?.runs ?? 0n).toBeGreaterThanOrEqual(1n);
    }
    expect(runs.filter((r) => r.runs > r.occurrences)).toEqual([]);
    // Idle (nothing written): each process woke each job once at start, and debouncing kept those
    // to at most one run per one-second slot, so no more than a few wakes in all.
    const wakes = await prisma.$queryRaw<Array<{ name: string; n: bigint }>>`
      SELECT name, count(*) AS n FROM pgboss.job
       WHERE name IN ('outbound-dispatch', 'auto-topup') AND singleton_key LIKE 'wake%' GROUP BY name`;
    expect(wakes.filter((w) => w.n > 4n)).toEqual([]);
  },
  200_000,
);
