// Disputes: list filters, the evidence pack (assembled facts plus the text fields sent to Stripe,
// editable before staging), and the stage / submit actions. Shared by the procedures and the web.
import { z } from 'zod';
import { cursor, pageLimit } from './paging.ts';

const reason = z
  .string()
  .trim()
  .min(5, 'Say why in a few words (5 characters or more)')
  .max(500, 'Keep the reason under 500 characters');

export const disputeId = z
  .string()
  .trim()
  .regex(/^(dp|du)_[A-Za-z0-9_]+$/, 'Not a Stripe dispute id (dp_...)');

/** Where a dispute stands against its evidence deadline, in the order the list shows them. */
export type DisputeState = 'overdue' | 'needs_response' | 'staged' | 'submitted' | 'won' | 'lost' | 'closed';

/** How close the deadline is: colour in the list (red overdue/critical, amber soon). */
export type DisputeUrgency = 'overdue' | 'critical' | 'soon' | 'ok' | 'none';

export const DISPUTE_LIST_FILTERS = ['open', 'needs_response', 'overdue', 'under_review', 'closed', 'all'] as const;
export type DisputeListFilter = (typeof DISPUTE_LIST_FILTERS)[number];

export const listDisputesInput = z.object({
  filter: z.enum(DISPUTE_LIST_FILTERS).default('open'),
  /** Dispute, charge or customer email/user id (prefix). */
  q: z.string().trim().max(200).default(''),
  cursor,
  limit: pageLimit(),
});
export type ListDisputesInput = z.input<typeof listDisputesInput>;

export const disputeIdInput = z.object({ disputeId });

export const winRateInput = z.object({
  /** Only disputes that closed within the last N days; omit for all time. */
  days: z.number().int().min(1).max(3650).optional(),
});

/**
 * The text evidence fields Creditdesk fills (Stripe's names). Files are not edited here: the
 * rendered PDF is uploaded and attached as service_documentation.
 */
export const EVIDENCE_TEXT_FIELDS = {
  customer_name: { label: 'Customer name', max: 5000, multiline: false },
  customer_email_address: { label: 'Customer email', max: 5000, multiline: false },
  customer_purchase_ip: { label: 'Purchase IP', max: 5000, multiline: false },
  service_date: { label: 'Service date', max: 5000, multiline: false },
  product_description: { label: 'Product description', max: 20_000, multiline: true },
  access_activity_log: { label: 'Access and activity log', max: 20_000, multiline: true },
  refund_policy_disclosure: { label: 'Refund policy disclosure', max: 20_000, multiline: true },
  cancellation_policy_disclosure: { label: 'Cancellation policy disclosure', max: 20_000, multiline: true },
  cancellation_rebuttal: { label: 'Cancellation rebuttal', max: 20_000, multiline: true },
  refund_refusal_explanation: { label: 'Why no refund was given', max: 20_000, multiline: true },
  uncategorized_text: { label: 'Summary for the bank', max: 20_000, multiline: true },
} as const;
export type EvidenceTextField = keyof typeof EVIDENCE_TEXT_FIELDS;
export const EVIDENCE_TEXT_FIELD_NAMES = Object.keys(EVIDENCE_TEXT_FIELDS) as EvidenceTextField[];

/** Stripe: all text evidence fields together hold at most 150,000 characters. */
export const EVIDENCE_TEXT_TOTAL_LIMIT = 150_000;

const fieldShape = Object.fromEntries(
  EVIDENCE_TEXT_FIELD_NAMES.map((name) => [
    name,
    z
      .string()
      .max(
        EVIDENCE_TEXT_FIELDS[name].max,
        `at most ${EVIDENCE_TEXT_FIELDS[name].max.toLocaleString('en-US')} characters`,
      ),
  ]),
) as { [K in EvidenceTextField]: z.ZodString };

export const evidenceFields = z
  .object(fieldShape)
  .refine(
    (f) => Object.values(f).reduce((n, v) => n + v.length, 0) <= EVIDENCE_TEXT_TOTAL_LIMIT,
    `All fields together may hold at most ${EVIDENCE_TEXT_TOTAL_LIMIT.toLocaleString('en-US')} characters`,
  );
export type EvidenceFields = z.infer<typeof evidenceFields>;

export const saveEvidenceInput = z.object({ disputeId, fields: evidenceFields });
export type SaveEvidenceInput = z.infer<typeof saveEvidenceInput>;

export const evidenceActionInput = z.object({ disputeId, reason });
export type EvidenceActionInput = z.infer<typeof evidenceActionInput>;

// ------------------------------------------------------------------ the assembled pack (output)

export interface EvidenceUsageLine {
  at: string;
  feature: string;
  operation: string | null;
  model: string | null;
  resultReference: string | null;
  credits: number;
  clientIp: string | null;
  userAgent: string | null;
  status: 'consumed' | 'reversed';
}

export interface EvidencePayment {
  paymentId: string;
  chargeId: string | null;
  kind: string;
  catalogKey: string | null;
  /** What it bought, by name (`credit pack "1,000 credits"`); absent in packs saved before it existed. */
  bought?: string | null;
  amount: number;
  currency: string;
  paidAt: string | null;
  status: string;
  purchaseIp: string | null;
  purchaseUserAgent: string | null;
}

export interface VisaCe3Candidate extends EvidencePayment {
  ageDays: number;
  matchedOn: Array<'ip' | 'user_agent'>;
}

/** Facts gathered from our records; the PDF shows them, the text fields summarise them. */
export interface EvidenceFacts {
  customer: {
    id: string;
    externalId: string;
    name: string | null;
    email: string;
    accountCreatedAt: string;
  };
  purchase: EvidencePayment & {
    creditsGranted: number;
    checkoutSessionId: string | null;
    paymentIntentId: string | null;
    invoiceId: string | null;
  };
  dispute: { id: string; reason: string; amount: number; currency: string; openedAt: string };
  service: { firstUseAt: string | null; lastUseAt: string | null };
  /** lot: usage drawn from the credits this payment bought; account: the customer's usage since it (no lot). */
  usage: {
    scope: 'lot' | 'account';
    requests: number;
    credits: number;
    /** Requests listed (newest last); at most a few hundred, the rest counted. */
    lines: EvidenceUsageLine[];
    omitted: number;
  };
  /** Distinct IP / user agent pairs seen on the account, with first and last use. */
  access: Array<{ ip: string | null; userAgent: string | null; firstAt: string; lastAt: string; requests: number }>;
  priorPayments: EvidencePayment[];
  visaCe3: { eligible: boolean; note: string; candidates: VisaCe3Candidate[] };
  policies: { refund: string; cancellation: string };
  productDescription: string;
  receipt: string;
}

export interface EvidencePack {
  version: 1;
  assembledAt: string;
  facts: EvidenceFacts;
  fields: EvidenceFields;
  /** Set by staff edits; null while the pack is as assembled. */
  editedAt: string | null;
  editedBy: string | null;
}

/** Said by the PDF and the page alike when no usage carried an IP address or device. */
export const NO_ACCESS_RECORDED = 'No IP address or device was recorded with the usage.';
