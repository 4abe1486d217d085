// Timeline sources from the account itself: ledger entries (usage entries excepted: usage is shown
// grouped per hour or day), entitlement changes, usage groups, blocks, staff actions and notes.
import type { DbOrTx } from '../../../db/tx.ts';
import { Prisma, type LedgerEntryType } from '../../../generated/prisma/client.ts';
import { sqlAfter, sqlTime, whereAfter } from './bounds.ts';
import { RANK, type Draft, type SourceArgs } from './billing-sources.ts';
import { ENTRY_TITLES, entryTone, isChainId } from './words.ts';

/** Every entry type but usage, which the usage groups stand for. */
export const TIMELINE_ENTRY_TYPES = (Object.keys(ENTRY_TITLES) as LedgerEntryType[]).filter((t) => t !== 'usage');

interface EntryRow {
  id: bigint;
  type: LedgerEntryType;
  credits: number;
  lot_id: string | null;
  reference_type: string | null;
  reference: string | null;
  actor_type: string;
  actor_id: string | null;
  reason: string;
  idempotency_key: string;
  balance_after: number;
  metadata: unknown;
  created_at: Date;
}

export async function ledgerSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  // One index descent per entry type ((customer_id, type, created_at, id)), merged by the planner:
  // a customer's thousands of usage entries are never scanned to find the rest.
  const after = sqlAfter(Prisma.sql`e.created_at`, Prisma.sql`e.id`, args.bound, Prisma.sql`::bigint`);
  const rows = await db.$queryRaw<EntryRow[]>`
    SELECT e.id, e.type, e.credits, e.lot_id, e.reference_type, e.reference, e.actor_type, e.actor_id,
           e.reason, e.idempotency_key, e.balance_after, e.metadata, e.created_at
    FROM unnest(${TIMELINE_ENTRY_TYPES}::"LedgerEntryType"[]) AS t(type)
    CROSS JOIN LATERAL (
      SELECT * FROM ledger_entry e
      WHERE e.customer_id = ${args.customerId}::uuid AND e.type = t.type AND ${after}
      ORDER BY e.created_at DESC, e.id DESC
      LIMIT ${args.take}
    ) e
    ORDER BY e.created_at DESC, e.id DESC
    LIMIT ${args.take}`;
  return rows.map((e) => ({
    key: `ledger:${e.id}`,
    kind: 'ledger' as const,
    rank: RANK.ledger,
    at: e.created_at,
    id: e.id.toString(),
    title: ENTRY_TITLES[e.type],
    summary: `${e.reason} (balance after: {{credits ${e.balance_after}}})`,
    tone: entryTone(e.type, e.credits),
    status: null,
    credits: e.credits,
    amount: null,
    stripeIds: isChainId(e.reference) ? [e.reference] : [],
    raw: {
      id: e.id.toString(),
      type: e.type,
      credits: e.credits,
      lotId: e.lot_id,
      referenceType: e.reference_type,
      reference: e.reference,
      actorType: e.actor_type,
      actorId: e.actor_id,
      reason: e.reason,
      idempotencyKey: e.idempotency_key,
      balanceAfter: e.balance_after,
      metadata: e.metadata,
      createdAt: e.created_at,
    },
  }));
}

const BUCKET_MS = { hour: 3_600_000, day: 86_400_000 } as const;
export type UsageBucket = keyof typeof BUCKET_MS;

interface UsageRow {
  bucket: Date;
  feature: string;
  status: string;
  n: bigint;
  credits: bigint;
  last_at: Date;
}

export async function usageSource(db: DbOrTx, args: SourceArgs & { bucket: UsageBucket }): Promise<Draft[]> {
  const size = BUCKET_MS[args.bucket];
  const unit = args.bucket;
  // A group sorts at the end of its bucket; the newest bucket that may follow the cursor starts at
  // or before `lastStart`. Everything is UTC (timestamps are stored without a zone).
  let upper: Date | null = null;
  if (args.bound.mode !== 'none') {
    const limit = args.bound.at.getTime() - size - (args.bound.mode === 'atOrBefore' ? 0 : 1);
    upper = new Date(Math.floor(limit / size) * size + size);
  }
  const below = upper ? Prisma.sql`AND created_at < ${sqlTime(upper)}` : Prisma.empty;
  // Loose index scan: hop from bucket to bucket on (customer_id, created_at), so finding the
  // newest N buckets costs N index descents however many usages each bucket holds.
  const buckets = await db.$queryRaw<Array<{ s: Date }>>`
    WITH RECURSIVE b(s) AS (
      (SELECT date_trunc(${unit}, created_at) FROM usage
       WHERE customer_id = ${args.customerId}::uuid ${below}
       ORDER BY created_at DESC LIMIT 1)
      UNION ALL
      SELECT (SELECT date_trunc(${unit}, u.created_at) FROM usage u
              WHERE u.customer_id = ${args.customerId}::uuid AND u.created_at < b.s
              ORDER BY u.created_at DESC LIMIT 1)
      FROM b WHERE b.s IS NOT NULL
    )
    SELECT s FROM b WHERE s IS NOT NULL LIMIT ${args.take}`;
  if (!buckets.length) return [];
  const oldest = buckets.at(-1)!.s;
  const rows = await db.$queryRaw<UsageRow[]>`
    SELECT date_trunc(${unit}, created_at) AS bucket, feature, status::text AS status, count(*) AS n,
           sum(credits) AS credits, max(created_at) AS last_at
    FROM usage
    WHERE customer_id = ${args.customerId}::uuid AND created_at >= ${sqlTime(oldest)} ${below}
    GROUP BY 1, 2, 3`;
  const groups = new Map<number, UsageRow[]>();
  for (const r of rows) {
    const k = r.bucket.getTime();
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return buckets.map(({ s }) => {
    const parts = (groups.get(s.getTime()) ?? []).sort((a, b) => Number(b.credits - a.credits));
    const consumed = parts.filter((p) => p.status === 'consumed');
    const credits = consumed.reduce((sum, p) => sum + Number(p.credits), 0);
    const count = parts.reduce((sum, p) => sum + Number(p.n), 0);
    const reversed = parts.filter((p) => p.status === 'reversed').reduce((sum, p) => sum + Number(p.n), 0);
    const end = new Date(s.getTime() + size);
    return {
      key: `usage:${s.toISOString()}`,
      kind: 'usage' as const,
      rank: RANK.usage,
      at: end,
      id: s.toISOString(),
      title: `Usage, ${unit === 'hour' ? 'hour' : 'day'} from {{date ${s.toISOString()}}}`,
      summary: [
        `${count} request${count === 1 ? '' : 's'}, {{credits ${credits}}} credits`,
        consumed.map((p) => `${p.feature} ${Number(p.n)} ({{credits ${Number(p.credits)}}})`).join(', '),
        reversed ? `${reversed} reversed` : null,
      ]
        .filter(Boolean)
        .join(': '),
      tone: 'neutral' as const,
      status: null,
      credits: -credits,
      amount: null,
      stripeIds: [],
      raw: {
        from: s,
        to: end,
        byFeature: parts.map((p) => ({
          feature: p.feature,
          status: p.status,
          requests: Number(p.n),
          credits: Number(p.credits),
          lastAt: p.last_at,
        })),
      },
    };
  });
}

export async function entitlementSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.entitlementEvent.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((e) => ({
    key: `entitlement:${e.id}`,
    kind: 'entitlement' as const,
    rank: RANK.entitlement,
    at: e.createdAt,
    id: e.id,
    title: `Entitlements: ${e.kind.replaceAll('_', ' ')}`,
    summary: e.reason,
    tone: 'neutral' as const,
    status: null,
    credits: null,
    amount: null,
    stripeIds: isChainId(e.reference) ? [e.reference] : [],
    raw: e,
  }));
}

export async function blockSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.blockEvent.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((b) => ({
    key: `block:${b.id}`,
    kind: 'block' as const,
    rank: RANK.block,
    at: b.createdAt,
    id: b.id,
    title: b.action === 'block' ? 'Customer blocked' : 'Customer unblocked',
    summary: `${b.reason} (by ${b.actorId === 'system' ? 'the auto-block rule' : b.actorId})`,
    tone: b.action === 'block' ? ('danger' as const) : ('success' as const),
    status: b.action === 'block' ? 'blocked' : 'unblocked',
    credits: null,
    amount: null,
    stripeIds: [],
    raw: b,
  }));
}

export async function auditSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.auditLog.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound, (id) => BigInt(id)) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((a) => ({
    key: `audit:${a.id}`,
    kind: 'audit' as const,
    rank: RANK.audit,
    at: a.createdAt,
    id: a.id.toString(),
    title: a.action,
    summary: [
      `by ${a.actorEmail ?? a.actorId ?? 'unknown'}${a.actorRole ? ` (${a.actorRole})` : ''}`,
      a.reason ? `reason: ${a.reason}` : null,
    ]
      .filter(Boolean)
      .join(', '),
    tone: 'neutral' as const,
    status: null,
    credits: null,
    amount: null,
    stripeIds: isChainId(a.targetId) ? [a.targetId] : [],
    raw: { ...a, id: a.id.toString() },
  }));
}

export async function noteSource(db: DbOrTx, args: SourceArgs): Promise<Draft[]> {
  const rows = await db.customerNote.findMany({
    where: { customerId: args.customerId, ...whereAfter('createdAt', args.bound) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.take,
  });
  return rows.map((n) => ({
    key: `note:${n.id}`,
    kind: 'note' as const,
    rank: RANK.note,
    at: n.createdAt,
    id: n.id,
    title: 'Note',
    summary: n.body,
    tone: 'neutral' as const,
    status: null,
    credits: null,
    amount: null,
    stripeIds: [],
    raw: n,
  }));
}
