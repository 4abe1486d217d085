// How a pack is kept on the dispute row (Dispute.evidence) and what is sent to Stripe from it.
// The stored pack remembers the hash of what was staged, so "submit" can refuse a pack that was
// edited after staging (the bank would get the old PDF with new text otherwise).
import { boughtText } from './evidence-words.ts';
import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { EVIDENCE_TEXT_FIELD_NAMES, type EvidencePack } from '../../contracts/disputes.ts';
import { canonicalJson } from '../../lib/json.ts';

export interface StoredEvidence extends EvidencePack {
  /** packHash() of the pack when it was last staged; null before. */
  stagedHash: string | null;
}

export function readStoredEvidence(value: unknown): StoredEvidence | null {
  const v = value as Partial<StoredEvidence> | null;
  if (!v || v.version !== 1 || !v.facts || !v.fields) return null;
  return { ...(v as StoredEvidence), stagedHash: v.stagedHash ?? null };
}

/** What the bank receives: the text fields and the facts the PDF is drawn from. */
export function packHash(pack: EvidencePack): string {
  return createHash('sha256')
    .update(canonicalJson({ fields: pack.fields, facts: pack.facts }))
    .digest('hex');
}

/** The evidence hash for POST /v1/disputes/:id: every text field, the PDF, and Visa CE 3.0 when eligible. */
export function stripeEvidence(pack: EvidencePack, fileId: string): Stripe.DisputeUpdateParams.Evidence {
  const evidence: Stripe.DisputeUpdateParams.Evidence = { service_documentation: fileId };
  for (const name of EVIDENCE_TEXT_FIELD_NAMES) evidence[name] = pack.fields[name];
  const f = pack.facts;
  if (f.visaCe3.eligible) {
    const who = {
      customer_account_id: f.customer.externalId,
      customer_email_address: f.customer.email,
    };
    evidence.enhanced_evidence = {
      visa_compelling_evidence_3: {
        disputed_transaction: {
          ...who,
          ...(f.purchase.purchaseIp ? { customer_purchase_ip: f.purchase.purchaseIp } : {}),
          merchandise_or_services: 'services',
          product_description: pack.fields.product_description.slice(0, 1000),
        },
        prior_undisputed_transactions: f.visaCe3.candidates.map((c) => ({
          charge: c.chargeId!,
          ...who,
          ...(c.purchaseIp ? { customer_purchase_ip: c.purchaseIp } : {}),
          product_description: boughtText(c),
        })),
      },
    };
  }
  return evidence;
}
