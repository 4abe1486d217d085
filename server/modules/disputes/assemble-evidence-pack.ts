// Gathers the evidence for one dispute from our own records: who the customer is, what they
// bought and from where, every use of the credits that purchase bought (timestamps, operations,
// result references, IP and user agent from the usage metadata, found through the ledger's
// allocations on the disputed lot), where the account was used from (read the same way as the
// usage rows, and always including every pair they show), the policies in Settings,
// the receipt, the earlier payments nobody disputed and the Visa CE 3.0 candidates among them.
// Then writes the Stripe text fields from those facts (evidence-fields.ts). Reads only.
import type {
  EvidenceFacts,
  EvidencePack,
  EvidencePayment,
  EvidenceUsageLine,
  VisaCe3Candidate,
} from '../../contracts/disputes.ts';
import { boughtWords, type CatalogNames } from '../../contracts/catalog-names.ts';
import type { DbOrTx } from '../../db/tx.ts';
import type { Payment } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { loadCatalogNames } from '../catalog/catalog-names.ts';
import { getRules } from '../catalog/get-rules.ts';
import { buildEvidenceFields } from './evidence-fields.ts';
import { credits, money } from './evidence-words.ts';
import { day } from '../../contracts/date-words.ts';

/** Usage lines listed one by one; the rest are counted (the PDF must stay within Stripe's limits). */
export const MAX_USAGE_LINES = 250;
const MAX_ACCESS_ROWS = 25;
const MAX_PRIOR_PAYMENTS = 20;
const DAY_MS = 86_400_000;
/** Visa CE 3.0: prior undisputed transactions 120 to 365 days before the disputed one. */
const CE3_MIN_DAYS = 120;
const CE3_MAX_DAYS = 365;

interface UsageRow {
  created_at: Date;
  feature: string;
  credits: number;
  status: 'consumed' | 'reversed';
  metadata: Record<string, unknown> | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

function usageLine(r: UsageRow): EvidenceUsageLine {
  const m = r.metadata ?? {};
  return {
    at: r.created_at.toISOString(),
    feature: r.feature,
    operation: str(m.operation),
    model: str(m.model),
    resultReference: str(m.resultReference),
    credits: r.credits,
    clientIp: str(m.clientIp),
    userAgent: str(m.userAgent),
    status: r.status,
  };
}

type AccessRow = EvidenceFacts['access'][number];
const accessKey = (ip: string | null, ua: string | null) => JSON.stringify([ip, ua]);

/**
 * "Where the account was used from" must agree with the usage rows (issue 16.3): every IP /
 * device pair a listed usage row shows is in it, whatever the account-wide query kept (it keeps
 * the first few pairs, over all of the account's usage). Pairs only the rows show are counted from
 * the rows; the section is never "none recorded" while a row names an IP or a device.
 */
function accessWithUsageLines(access: AccessRow[], lines: EvidenceUsageLine[]): AccessRow[] {
  const known = new Set(access.map((a) => accessKey(a.ip, a.userAgent)));
  const extra = new Map<string, AccessRow>();
  for (const u of lines) {
    if (!u.clientIp && !u.userAgent) continue;
    const key = accessKey(u.clientIp, u.userAgent);
    if (known.has(key)) continue;
    const row = extra.get(key);
    if (row) {
      row.requests += 1;
      row.lastAt = u.at;
    } else {
      extra.set(key, { ip: u.clientIp, userAgent: u.userAgent, firstAt: u.at, lastAt: u.at, requests: 1 });
    }
  }
  return [...access, ...extra.values()];
}

function paymentFacts(p: Payment, names: CatalogNames): EvidencePayment {
  return {
    paymentId: p.id,
    chargeId: p.chargeId,
    kind: p.kind,
    catalogKey: p.catalogKey,
    bought: boughtWords(names, p),
    amount: p.amount,
    currency: p.currency,
    paidAt: (p.paidAt ?? p.createdAt).toISOString(),
    status: p.status,
    purchaseIp: p.purchaseIp,
    purchaseUserAgent: p.purchaseUserAgent,
  };
}

/** Usage paid for by the disputed lot: each usage entry's allocation on that lot, oldest first. */
async function lotUsage(db: DbOrTx, lotId: string) {
  const [totals] = await db.$queryRaw<
    Array<{ n: bigint; credits: bigint | null; first: Date | null; last: Date | null }>
  >`
    SELECT count(*) AS n, sum(-a.credits) FILTER (WHERE u.status = 'consumed') AS credits,
           min(u.created_at) AS first, max(u.created_at) AS last
    FROM ledger_allocation a
    JOIN ledger_entry e ON e.id = a.entry_id AND e.type = 'usage'
    JOIN usage u ON u.entry_id = e.id
    WHERE a.lot_id = ${lotId}::uuid AND a.credits < 0`;
  const rows = await db.$queryRaw<UsageRow[]>`
    SELECT u.created_at, u.feature, (-a.credits)::int AS credits, u.status::text AS status, u.metadata
    FROM ledger_allocation a
    JOIN ledger_entry e ON e.id = a.entry_id AND e.type = 'usage'
    JOIN usage u ON u.entry_id = e.id
    WHERE a.lot_id = ${lotId}::uuid AND a.credits < 0
    ORDER BY u.created_at, u.id
    LIMIT ${MAX_USAGE_LINES}`;
  return { totals, rows };
}

/** Without a lot (a payment that carried no credits): the customer's usage since the payment. */
async function accountUsage(db: DbOrTx, customerId: string, since: Date, until: Date) {
  const [totals] = await db.$queryRaw<
    Array<{ n: bigint; credits: bigint | null; first: Date | null; last: Date | null }>
  >`
    SELECT count(*) AS n, sum(credits) FILTER (WHERE status = 'consumed') AS credits,
           min(created_at) AS first, max(created_at) AS last
    FROM usage WHERE customer_id = ${customerId}::uuid AND created_at >= ${since} AND created_at <= ${until}`;
  const rows = await db.$queryRaw<UsageRow[]>`
    SELECT created_at, feature, credits, status::text AS status, metadata
    FROM usage WHERE customer_id = ${customerId}::uuid AND created_at >= ${since} AND created_at <= ${until}
    ORDER BY created_at, id
    LIMIT ${MAX_USAGE_LINES}`;
  return { totals, rows };
}

async function accessLog(db: DbOrTx, customerId: string, until: Date): Promise<EvidenceFacts['access']> {
  const rows = await db.$queryRaw<Array<{ ip: string | null; ua: string | null; first: Date; last: Date; n: bigint }>>`
    SELECT NULLIF(btrim(metadata->>'clientIp'), '') AS ip, NULLIF(btrim(metadata->>'userAgent'), '') AS ua,
           min(created_at) AS first, max(created_at) AS last, count(*) AS n
    FROM usage
    WHERE customer_id = ${customerId}::uuid AND created_at <= ${until}
      AND (NULLIF(btrim(metadata->>'clientIp'), '') IS NOT NULL OR NULLIF(btrim(metadata->>'userAgent'), '') IS NOT NULL)
    GROUP BY 1, 2
    ORDER BY min(created_at)
    LIMIT ${MAX_ACCESS_ROWS}`;
  return rows.map((r) => ({
    ip: r.ip,
    userAgent: r.ua,
    firstAt: r.first.toISOString(),
    lastAt: r.last.toISOString(),
    requests: Number(r.n),
  }));
}

function visaCe3(reason: string, purchase: EvidencePayment, prior: EvidencePayment[]): EvidenceFacts['visaCe3'] {
  const disputedAt = new Date(purchase.paidAt ?? 0).getTime();
  const inRange = prior.filter((p) => {
    const age = (disputedAt - new Date(p.paidAt ?? 0).getTime()) / DAY_MS;
    return p.chargeId && age >= CE3_MIN_DAYS && age <= CE3_MAX_DAYS;
  });
  const candidates: VisaCe3Candidate[] = inRange
    .map((p) => ({
      ...p,
      ageDays: Math.floor((disputedAt - new Date(p.paidAt ?? 0).getTime()) / DAY_MS),
      matchedOn: [
        ...(purchase.purchaseIp && p.purchaseIp === purchase.purchaseIp ? (['ip'] as const) : []),
        ...(purchase.purchaseUserAgent && p.purchaseUserAgent === purchase.purchaseUserAgent
          ? (['user_agent'] as const)
          : []),
      ],
    }))
    .filter((c) => c.matchedOn.length > 0)
    .slice(0, 2);
  const fraud = reason === 'fraudulent';
  let note: string;
  if (!purchase.purchaseIp && !purchase.purchaseUserAgent) {
    note = 'No purchase IP or device was recorded for the disputed payment, so no prior payment can be matched.';
  } else if (candidates.length < 2) {
    note =
      `${inRange.length} undisputed payment${inRange.length === 1 ? '' : 's'} ${CE3_MIN_DAYS}–${CE3_MAX_DAYS} days ` +
      `before the disputed one; ${candidates.length} with the same IP or device. Visa CE 3.0 needs 2.`;
  } else if (!fraud) {
    note = `Two matching prior payments exist, but Visa CE 3.0 applies to fraud disputes (Visa 10.4); this one is "${reason}".`;
  } else {
    note =
      'Two undisputed payments 120–365 days earlier share the IP or device of the disputed purchase: ' +
      'they are sent as Visa Compelling Evidence 3.0 (the card must also match, which Stripe checks).';
  }
  return { eligible: fraud && candidates.length === 2, note, candidates };
}

async function purchaseWords(db: DbOrTx, p: Payment): Promise<string> {
  if (!p.catalogKey) return p.kind === 'subscription' ? 'a subscription period' : 'a purchase';
  if (p.kind === 'pack') {
    const pack = await db.creditPack.findUnique({ where: { key: p.catalogKey } });
    return `the credit pack "${pack?.name ?? p.catalogKey}" (${credits(pack?.credits ?? p.creditsGranted)} credits)`;
  }
  const plan = await db.plan.findUnique({ where: { key: p.catalogKey } });
  return `a period of the "${plan?.name ?? p.catalogKey}" subscription (${credits(plan?.monthlyCredits ?? p.creditsGranted)} credits included)`;
}

export async function assembleEvidencePack(
  db: DbOrTx,
  input: { disputeId: string; now?: Date },
): Promise<EvidencePack> {
  const now = input.now ?? new Date();
  const dispute = await db.dispute.findUnique({
    where: { id: input.disputeId },
    include: { payment: true, customer: true },
  });
  if (!dispute) throw new AppError('NOT_FOUND', `No dispute ${input.disputeId}`);
  const { payment, customer } = dispute;
  if (!payment || !customer) {
    throw new AppError('UNPROCESSABLE', `Dispute ${dispute.id} is not linked to a customer's payment yet`);
  }
  const rules = await getRules(db);
  const paidAt = payment.paidAt ?? payment.createdAt;

  const usage = payment.lotId
    ? await lotUsage(db, payment.lotId)
    : await accountUsage(db, customer.id, paidAt, dispute.stripeCreated);
  const [access, priorRows, refunds, bought, names] = await Promise.all([
    // Up to now, not to the dispute's opening: the usage section lists every use of the disputed
    // credits, and where those uses came from must appear here too (one source for each fact).
    accessLog(db, customer.id, now),
    db.payment.findMany({
      where: {
        customerId: customer.id,
        id: { not: payment.id },
        status: { in: ['paid', 'partially_refunded'] },
        disputes: { none: {} },
        OR: [{ paidAt: { lt: paidAt } }, { paidAt: null, createdAt: { lt: paidAt } }],
      },
      orderBy: [{ paidAt: 'desc' }, { createdAt: 'desc' }],
      take: MAX_PRIOR_PAYMENTS,
    }),
    db.refund.findMany({ where: { paymentId: payment.id, status: { in: ['succeeded', 'pending'] } } }),
    purchaseWords(db, payment),
    loadCatalogNames(db),
  ]);

  const purchase = paymentFacts(payment, names);
  const prior = priorRows.map((p) => paymentFacts(p, names));
  const lines = usage.rows.map(usageLine);
  const requests = Number(usage.totals?.n ?? 0);
  const refunded = refunds.reduce((n, r) => n + r.amount, 0);
  const receipt = [
    `Receipt for ${bought}`,
    `Amount: ${money(payment.amount, payment.currency)}, paid ${day(paidAt)}`,
    refunded ? `Refunded: ${money(refunded, payment.currency)}` : null,
    `Credits granted: ${credits(payment.creditsGranted)}`,
    `Billed to: ${customer.name ? `${customer.name} <${customer.email}>` : customer.email}`,
    [
      payment.chargeId && `charge ${payment.chargeId}`,
      payment.paymentIntentId && `payment intent ${payment.paymentIntentId}`,
      payment.checkoutSessionId && `Checkout Session ${payment.checkoutSessionId}`,
      payment.invoiceId && `invoice ${payment.invoiceId}`,
    ]
      .filter(Boolean)
      .join(', '),
  ]
    .filter(Boolean)
    .join('\n');

  const facts: EvidenceFacts = {
    customer: {
      id: customer.id,
      externalId: customer.externalId,
      name: customer.name,
      email: customer.email,
      accountCreatedAt: customer.createdAt.toISOString(),
    },
    purchase: {
      ...purchase,
      creditsGranted: payment.creditsGranted,
      checkoutSessionId: payment.checkoutSessionId,
      paymentIntentId: payment.paymentIntentId,
      invoiceId: payment.invoiceId,
    },
    dispute: {
      id: dispute.id,
      reason: dispute.reason,
      amount: dispute.amount,
      currency: dispute.currency,
      openedAt: dispute.stripeCreated.toISOString(),
    },
    service: {
      firstUseAt: usage.totals?.first?.toISOString() ?? null,
      lastUseAt: usage.totals?.last?.toISOString() ?? null,
    },
    usage: {
      scope: payment.lotId ? 'lot' : 'account',
      requests,
      credits: Number(usage.totals?.credits ?? 0),
      lines,
      omitted: Math.max(0, requests - lines.length),
    },
    access: accessWithUsageLines(access, lines),
    priorPayments: prior,
    visaCe3: visaCe3(dispute.reason, purchase, prior),
    policies: { refund: rules.refundPolicy.trim(), cancellation: rules.cancellationPolicy.trim() },
    productDescription: [rules.productDescription.trim(), `Purchased: ${bought}.`].filter(Boolean).join('\n\n'),
    receipt,
  };
  return {
    version: 1,
    assembledAt: now.toISOString(),
    facts,
    fields: buildEvidenceFields(facts),
    editedAt: null,
    editedBy: null,
  };
}
