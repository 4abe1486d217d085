// Consume-levers benchmark: what the database side of one cold `POST /usage` costs, and what two
// of the levers left for it (README, issue 15) would save. No HTTP and no server: 8 concurrent
// connections call the real statements on 2,000 funded customers, and the suite reads PostgreSQL's
// CPU time from /proc around each segment (segments A B C C B A, so drift hits all alike).
//
//   A  shipped: drawForUsage, the statement behind POST /usage (customer by external id, its plan,
//      the usage key unused, the ledger draw and the usage row)
//   B  the ledger draw alone: postEntry by customer id, without the lookup, the key check and the
//      usage row (an upper bound for keeping usage on the ledger entry instead of its own row)
//   C  shipped, on a database where the lot update can be HOT: `remaining` out of the lots' index
//      (credit_lot (customer_id) instead of (customer_id, remaining)) and fillfactor 80
//   D  shipped, on a database whose sessions fire no triggers (session_replication_role = replica):
//      what the five foreign-key checks of a consume and the ledger's guard triggers cost together.
//      Needs a superuser (the local PostgreSQL's postgres user); left out, and said so, otherwise.
//
//   npm run bench -- consume-levers [--seconds 8] [--clients 8]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createPrisma, type Db } from '../server/db/client.ts';
import { applyMigrations } from '../server/db/migrator.ts';
import { drawForUsage } from '../server/modules/ledger/usage-draws.ts';
import { ledgerRequest, postEntry, type EntryContext } from '../server/modules/ledger/post-entry.ts';
import {
  analyzeSeeded,
  segment,
  type Segment,
  summarizeSegments,
  updateReadmeTable,
  withScratchDatabase,
  writeResults,
  runInfo,
} from './lib/common.ts';
import { fundedCustomers } from './lib/funded-customers.ts';
import { postgresCpuSeconds } from './lib/server-process.ts';

const CUSTOMERS = 2_000;
const PLAN = 'bench';

/** One consume of one credit by `customer`; throws unless it posted. */
type Consume = (db: Db, customer: { id: string; externalId: string }) => Promise<void>;

function context(): EntryContext {
  const key = randomUUID();
  return {
    type: 'usage',
    idempotencyKey: `usage:${key}`,
    reason: 'chat usage',
    actor: { type: 'service', id: 'bench' },
    reference: key,
    referenceType: 'usage',
    metadata: { feature: 'chat' },
    requireActive: true,
  };
}

const shipped: Consume = async (db, customer) => {
  const ctx = context();
  const row = await drawForUsage(
    db,
    { externalId: customer.externalId, plans: [PLAN], defaultPlan: PLAN },
    {
      request: ledgerRequest({ mode: 'draw', customerId: '', credits: 1 }, ctx),
      usageId: ctx.reference!,
      feature: 'chat',
      credits: 1,
      idempotencyKey: ctx.reference!,
      hash: 'bench',
      metadata: null,
    },
  );
  if (row?.r.status !== 'posted') throw new Error(`consume not posted: ${JSON.stringify(row?.r ?? null)}`);
};

const ledgerOnly: Consume = async (db, customer) => {
  if (!(await postEntry(db, { mode: 'draw', customerId: customer.id, credits: 1 }, context()))) {
    throw new Error('draw not posted');
  }
};

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { seconds: { type: 'string', default: '8' }, clients: { type: 'string', default: '8' } },
  });
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  await withScratchDatabase('levers_a', (urlA, version) =>
    withScratchDatabase('levers_b', (urlB) =>
      withScratchDatabase('levers_d', async (urlD) => {
        console.log(`consume-levers bench: PostgreSQL ${version}, ${clients} connections, ${seconds} s segments`);
        await prepare(urlA, 'shipped');
        await prepare(urlB, 'hot-lots');
        const withoutTriggers = await prepare(urlD, 'no-triggers');
        const [dbA, dbB, dbD] = [urlA, urlB, urlD].map((url) => createPrisma(url, { max: clients })) as [Db, Db, Db];
        try {
          const customers = async (db: Db) =>
            (
              await db.customer.findMany({ select: { id: true, externalId: true }, orderBy: { externalId: 'asc' } })
            ).map((c) => ({ id: c.id, externalId: c.externalId! }));
          const [onA, onB, onD] = [await customers(dbA), await customers(dbB), await customers(dbD)];
          const variants = [
            {
              key: 'A',
              name: 'shipped: POST /usage statement (usage row, lookup by external id)',
              db: dbA,
              list: onA,
              consume: shipped,
            },
            {
              key: 'B',
              name: 'the ledger draw alone (no usage row, no lookup, no key check)',
              db: dbA,
              list: onA,
              consume: ledgerOnly,
            },
            {
              key: 'C',
              name: 'shipped, lot update HOT-eligible (no index on remaining, fillfactor 80)',
              db: dbB,
              list: onB,
              consume: shipped,
            },
            ...(withoutTriggers
              ? [
                  {
                    key: 'D',
                    name: 'shipped, no triggers: no foreign-key checks, no guard (replica role)',
                    db: dbD,
                    list: onD,
                    consume: shipped,
                  },
                ]
              : []),
          ];
          if (!withoutTriggers) console.log('  D left out: setting session_replication_role needs a superuser');
          const segments = new Map(variants.map((v) => [v.key, [] as Array<Segment & { pgSeconds: number }>]));
          for (const v of [...variants, ...[...variants].reverse()]) {
            const run = () => v.consume(v.db, v.list[Math.floor(Math.random() * v.list.length)]!);
            await segment(clients, 1, run);
            const before = postgresCpuSeconds() ?? 0;
            const s = await segment(clients, seconds, run);
            segments.get(v.key)!.push({ ...s, pgSeconds: (postgresCpuSeconds() ?? 0) - before });
            console.log(`  ${v.key} ${v.name.padEnd(72)} ${Math.round((s.ops / s.ms) * 1000)} /s  errors ${s.errors}`);
          }
          const results = variants.map((v) => {
            const segs = segments.get(v.key)!;
            const sum = summarizeSegments(segs);
            const pgMs = (segs.reduce((t, s) => t + s.pgSeconds, 0) / sum.ops) * 1000;
            return {
              key: v.key,
              name: v.name,
              opsPerSecond: sum.opsPerSecond,
              errors: sum.errors,
              pgMsPerConsume: Number(pgMs.toFixed(3)),
            };
          });
          const a = results[0]!;
          const order = [...variants, ...[...variants].reverse()].map((v) => v.key).join(' ');
          console.log('');
          for (const r of results) {
            console.log(
              `  ${r.key} ${String(r.opsPerSecond).padStart(6)} /s (x${(r.opsPerSecond / a.opsPerSecond).toFixed(2)})  PostgreSQL ${r.pgMsPerConsume.toFixed(3)} ms per consume (x${(r.pgMsPerConsume / a.pgMsPerConsume).toFixed(2)})  errors ${r.errors}`,
            );
          }
          const report = {
            ...runInfo('consume-levers', version),
            clients,
            secondsPerSegment: seconds,
            customers: CUSTOMERS,
            results,
          };
          const file = writeResults('consume-levers', report);
          updateReadmeTable('consume-levers', [
            `Consume levers, last run ${report.at.slice(0, 16).replace('T', ' ')} UTC (\`npm run bench -- consume-levers\`): PostgreSQL ${version}, ${clients} connections straight to the database (no HTTP), ${CUSTOMERS.toLocaleString('en')} funded customers, ${seconds} s segments ${order}, load average at the end ${report.load.join(' / ')}. PostgreSQL CPU is every \`postgres\` process's CPU time during the segments (/proc), per consume.`,
            '',
            '| variant | consumes/s | vs A | PostgreSQL CPU ms per consume | vs A | errors |',
            '| --- | ---: | ---: | ---: | ---: | ---: |',
            ...results.map(
              (r) =>
                `| ${r.key}: ${r.name} | ${r.opsPerSecond.toLocaleString('en')} | ${(r.opsPerSecond / a.opsPerSecond).toFixed(2)} | ${r.pgMsPerConsume.toFixed(3)} | ${(r.pgMsPerConsume / a.pgMsPerConsume).toFixed(2)} | ${r.errors} |`,
            ),
            ...(withoutTriggers
              ? []
              : ['', 'D (no triggers) was left out: setting `session_replication_role` needs a superuser.']),
          ]);
          console.log(`\nwrote ${file} and the table in README.md`);
          if (results.some((r) => r.errors > 0)) throw new Error('consume-levers: some consumes failed');
        } finally {
          await Promise.all([dbA, dbB, dbD].map((db) => db.$disconnect()));
        }
      }),
    ),
  );
}

type Prepared = 'shipped' | 'hot-lots' | 'no-triggers';

/**
 * Migrated, 2,000 funded customers, analyzed. `hot-lots`: the lots' index without `remaining`;
 * `no-triggers`: its sessions fire no triggers. False when that variant could not be made.
 */
async function prepare(url: string, variant: Prepared): Promise<boolean> {
  await applyMigrations(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await fundedCustomers(client, [{ prefix: 'cold', count: CUSTOMERS }], 10_000_000);
    if (variant === 'hot-lots') {
      await client.query('DROP INDEX credit_lot_customer_id_remaining_idx');
      await client.query('CREATE INDEX credit_lot_customer_id_idx ON credit_lot (customer_id)');
      await client.query('ALTER TABLE credit_lot SET (fillfactor = 80)');
      await client.query('VACUUM FULL credit_lot');
    }
    await analyzeSeeded(client);
    if (variant === 'no-triggers') {
      // Every session opened afterwards (the variant's pool) starts in replica mode. Funding above
      // ran with the triggers, so the lots and balances are the same as the other variants'.
      const name = new URL(url).pathname.slice(1);
      try {
        await client.query(`ALTER DATABASE "${name}" SET session_replication_role = replica`);
      } catch {
        return false;
      }
    }
    return true;
  } finally {
    await client.end();
  }
}
