// The webhook mix of bench/http.ts: a month of a subscription + packs business (stripe-month.ts)
// POSTed, correctly signed, over real sockets to POST /api/stripe/webhook of the real server, and
// the same events to the peer (stripe-sync-engine, peer-server.ts) when it is installed.
//
// The month is sent in waves: one wave is one step of one story for every customer living it (600
// customers' charge.succeeded, then their payment_intent.succeeded...), so each customer's events
// arrive in Stripe's order while `clients` requests are always in flight. A type's req/s is its
// events over the time of its waves; p50/p99 are per request. Each wave goes to the peer right
// after ours, so drift on a shared machine hits both alike. Then 10% of the month is delivered
// again (duplicates, shuffled). Before the load, one copy of every story is delivered one event at
// a time: the expected outcome, which every customer of that story must end with.
import pg from 'pg';
import Stripe from 'stripe';
import { stripeHandlers } from '../../server/stripe/handlers/index.ts';
import { percentile, sleep, type CpuSplit } from './common.ts';
import { withCpu } from './server-process.ts';
import { httpBatch, type BatchResult } from './http-load.ts';
import { copyStory, recordMonth, type MonthEvent, type RecordedMonth } from './stripe-month.ts';

const signer = new Stripe('sk_test_bench_signer');
const handled = new Set<string>(Object.keys(stripeHandlers));

export interface Figures {
  events: number;
  errors: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU milliseconds per event of the receiving server and of PostgreSQL, over its waves. */
  cpuMsPerEvent: { server: number; postgres: number } | null;
}

export interface TypeResult extends Figures {
  type: string;
  /** applied: we have a handler; ignored: stored and answered only. */
  kind: 'applied' | 'ignored' | 'duplicate';
  peer: (Figures & { note?: string }) | null;
}

export interface MixOptions {
  url: string;
  app: string;
  peer: string | null;
  /** The processes behind app and peer, for the CPU each wave costs (none: not measured). */
  appPid?: number;
  peerPid?: number;
  clients: number;
  scale: number;
  secret: string;
  /** Fraction of the month delivered a second time. */
  duplicates?: number;
}

interface Acc {
  ms: number;
  events: number;
  errors: number;
  latencies: number[];
  /** Summed over its batches; null once one batch could not be measured. */
  cpu: CpuSplit | null;
}

const acc = (): Acc => ({ ms: 0, events: 0, errors: 0, latencies: [], cpu: { server: 0, postgres: 0, client: 0 } });
const sumCpu = (a: CpuSplit | null, b: CpuSplit | null): CpuSplit | null =>
  a && b ? { server: a.server + b.server, postgres: a.postgres + b.postgres, client: a.client + b.client } : null;
function add(a: Acc, r: BatchResult, cpu: CpuSplit | null = null): void {
  a.ms += r.ms;
  a.cpu = sumCpu(a.cpu, cpu);
  a.events += r.latencies.length;
  a.errors += r.errors;
  for (const l of r.latencies) if (l !== null) a.latencies.push(l);
}
function figures(a: Acc): Figures {
  const sorted = [...a.latencies].sort((x, y) => x - y);
  const ok = sorted.length;
  return {
    events: a.events,
    errors: a.errors,
    opsPerSecond: a.ms > 0 ? Math.round((ok / a.ms) * 1000) : 0,
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
    cpuMsPerEvent:
      a.cpu && ok > 0
        ? {
            server: Number(((a.cpu.server / ok) * 1000).toFixed(2)),
            postgres: Number(((a.cpu.postgres / ok) * 1000).toFixed(2)),
          }
        : null,
  };
}

function post(path: string, e: MonthEvent, secret: string) {
  const header = signer.webhooks.generateTestHeaderString({ payload: e.payload, secret });
  return {
    method: 'POST' as const,
    path,
    body: e.payload,
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
  };
}

const answer = (body: string) => JSON.parse(body) as { duplicate?: boolean; status?: string };

export async function runWebhookMix(o: MixOptions) {
  const month = await recordMonth(o.scale);
  const ref = month.stories.map((s) => copyStory(s, 0, 'R'));
  const copies = month.stories.map((s) => Array.from({ length: s.copies }, (_, c) => copyStory(s, c, 'M')));
  await registerCustomers(o.url, month);

  // The expected outcome (and a warm-up): one copy of every story, one event at a time.
  for (const e of ref.flat()) {
    const r = await httpBatch(o.app, 1, 1, () => post('/api/stripe/webhook', e, o.secret));
    if (r.errors) throw new Error(`reference delivery of ${e.type} failed`);
  }

  const ours = new Map<string, Acc>();
  const theirs = new Map<string, Acc>();
  const peerErrors = new Map<string, string>();
  const statuses = new Map<string, number>();
  const all: MonthEvent[] = [];
  for (const [s, story] of month.stories.entries()) {
    for (let step = 0; step < story.events.length; step++) {
      const wave = copies[s]!.map((c) => c[step]!);
      all.push(...wave);
      const type = wave[0]!.type;
      const [r, cpu] = await withCpu(o.appPid, () =>
        httpBatch(
          o.app,
          o.clients,
          wave.length,
          (i) => post('/api/stripe/webhook', wave[i]!, o.secret),
          (a) => {
            if (a.status !== 200) return false;
            const body = answer(a.body);
            const key = `${type} ${body.status}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            return body.duplicate === false;
          },
        ),
      );
      add(ours.get(type) ?? ours.set(type, acc()).get(type)!, r, cpu);
      // The peer lists a Checkout Session's line items from Stripe's API before storing it; with no
      // key here every such request fails after its retries, so those waves are not sent to it.
      if (o.peer && !type.startsWith('checkout.session.')) {
        const peer = o.peer;
        const [p, peerCpu] = await withCpu(o.peerPid, () =>
          httpBatch(
            peer,
            o.clients,
            wave.length,
            (i) => post('/webhook', wave[i]!, o.secret),
            (a) => {
              if (a.status !== 200 && !peerErrors.has(type)) peerErrors.set(type, a.body.slice(0, 200));
              return a.status === 200;
            },
          ),
        );
        add(theirs.get(type) ?? theirs.set(type, acc()).get(type)!, p, peerCpu);
      }
    }
  }

  // Stripe's repeats: a share of the month again, in random order (seeded for repeatability).
  let seed = 15;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const repeats = all.filter(() => rand() < (o.duplicates ?? 0.1)).sort(() => rand() - 0.5);
  const dup = acc();
  add(
    dup,
    ...(await withCpu(o.appPid, () =>
      httpBatch(
        o.app,
        o.clients,
        repeats.length,
        (i) => post('/api/stripe/webhook', repeats[i]!, o.secret),
        (a) => a.status === 200 && answer(a.body).duplicate === true,
      ),
    )),
  );

  const results: TypeResult[] = [...ours.entries()]
    .map(([type, a]): TypeResult => {
      const t = theirs.get(type);
      const peer = t ? { ...figures(t), ...(peerErrors.has(type) ? { note: peerErrors.get(type)! } : {}) } : null;
      return { type, kind: handled.has(type) ? 'applied' : 'ignored', ...figures(a), peer };
    })
    .sort((a, b) => (a.kind === b.kind ? a.type.localeCompare(b.type) : a.kind === 'applied' ? -1 : 1));
  results.push({ type: 'duplicate deliveries (10%, any type)', kind: 'duplicate', ...figures(dup), peer: null });
  const total = acc();
  for (const a of ours.values()) {
    total.ms += a.ms;
    total.events += a.events;
    total.errors += a.errors;
    total.latencies.push(...a.latencies);
    total.cpu = sumCpu(total.cpu, a.cpu);
  }
  const check = await checkMonth(o.url, month, all, repeats.length);
  return {
    month: month.stories.map((s) => ({ story: s.name, customers: s.copies, events: s.events.length })),
    results,
    mix: figures(total),
    statuses: Object.fromEntries([...statuses.entries()].sort()),
    check,
  };
}

/** The customers exist before they buy (the product registered them), not yet linked to Stripe;
 * the month's prices are mapped in the catalog as an admin would. */
async function registerCustomers(url: string, month: RecordedMonth): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const users = month.stories.flatMap((s) => [
      `${s.user}Rx0`,
      ...Array.from({ length: s.copies }, (_, c) => `${s.user}Mx${c}`),
    ]);
    await client.query(
      `INSERT INTO customer (id, external_id, email, updated_at)
       SELECT gen_random_uuid(), u, u || '@example.com', now() FROM unnest($1::text[]) u`,
      [users],
    );
    await client.query(
      `INSERT INTO catalog_price (stripe_price_id, pack_key, plan_key) VALUES ($1, 'pack_1000', NULL), ($2, NULL, 'pro')`,
      [month.prices.pack, month.prices.plan],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Every event settled (none failed), and every customer of a story with the ledger of its
 * reference copy: same balance, same credits per entry type. */
async function checkMonth(url: string, month: RecordedMonth, sent: MonthEvent[], duplicates: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = sent.map((e) => e.id);
    const deadline = Date.now() + 60_000;
    let pending = 0;
    for (;;) {
      pending = Number(
        (
          await client.query<{ n: string }>(
            `SELECT count(*) n FROM stripe_event WHERE id = ANY($1) AND status IN ('received', 'deferred')`,
            [ids],
          )
        ).rows[0]!.n,
      );
      if (pending === 0 || Date.now() > deadline) break;
      await sleep(500);
    }
    const byStatus = Object.fromEntries(
      (
        await client.query<{ status: string; n: string }>(
          'SELECT status, count(*) n FROM stripe_event WHERE id = ANY($1) GROUP BY status',
          [ids],
        )
      ).rows.map((r) => [r.status, Number(r.n)]),
    );
    const wrongStatus = Number(
      (
        await client.query<{ n: string }>(
          `SELECT count(*) n FROM stripe_event e JOIN unnest($1::text[], $2::boolean[]) AS s(id, handled) ON s.id = e.id
            WHERE e.status <> CASE WHEN s.handled THEN 'processed' ELSE 'ignored' END::"EventStatus"`,
          [ids, sent.map((e) => handled.has(e.type))],
        )
      ).rows[0]!.n,
    );
    const dupDeliveries = Number(
      (
        await client.query<{ n: string }>(
          'SELECT count(*) n FROM webhook_delivery WHERE duplicate AND event_id = ANY($1)',
          [ids],
        )
      ).rows[0]!.n,
    );
    const ledger = await client.query<{ external_id: string; summary: string }>(
      `SELECT c.external_id,
              c.balance || ' | ' || COALESCE((SELECT string_agg(type || ' ' || s, ', ' ORDER BY type)
                 FROM (SELECT type::text, sum(credits) s FROM ledger_entry WHERE customer_id = c.id GROUP BY type) x), '') AS summary
         FROM customer c WHERE c.external_id LIKE 'benchstory%'`,
    );
    const summary = new Map(ledger.rows.map((r) => [r.external_id, r.summary]));
    const stories = month.stories.map((s) => {
      const expected = summary.get(`${s.user}Rx0`) ?? '(missing)';
      let off = 0;
      for (let c = 0; c < s.copies; c++) if (summary.get(`${s.user}Mx${c}`) !== expected) off += 1;
      return { story: s.name, customers: s.copies, expected, off };
    });
    const granted = Number(
      (
        await client.query<{ n: string }>(
          `SELECT COALESCE(sum(credits), 0) n FROM ledger_entry l JOIN customer c ON c.id = l.customer_id
            WHERE c.external_id LIKE 'benchstory%M%' AND l.type IN ('purchase', 'subscription_grant')`,
        )
      ).rows[0]!.n,
    );
    const expectedGranted = stories.reduce((sum, s, i) => {
      const m = /purchase (\d+)/.exec(s.expected);
      const g = /subscription_grant (\d+)/.exec(s.expected);
      return sum + month.stories[i]!.copies * (Number(m?.[1] ?? 0) + Number(g?.[1] ?? 0));
    }, 0);
    return {
      pending,
      byStatus,
      wrongStatus,
      duplicatesSent: duplicates,
      duplicateDeliveries: dupDeliveries,
      stories,
      granted,
      expectedGranted,
      ok:
        pending === 0 &&
        wrongStatus === 0 &&
        dupDeliveries === duplicates &&
        granted === expectedGranted &&
        stories.every((s) => s.off === 0),
    };
  } finally {
    await client.end();
  }
}
