// What staging and submitting evidence both need before they call Stripe: the dispute, still
// awaiting a response, and a configured Stripe client. One home, so the two actions cannot
// disagree on when evidence may go to the bank.
import type Stripe from 'stripe';
import type { Db } from '../../db/client.ts';
import type { Dispute } from '../../generated/prisma/client.ts';
import { AppError } from '../../lib/app-error.ts';
import { assertEditable } from './save-evidence.ts';

export interface EvidenceActionDeps {
  prisma: Db;
  stripe: Stripe | null;
}

export async function openDisputeForEvidence(
  deps: EvidenceActionDeps,
  disputeId: string,
): Promise<{ dispute: Dispute; stripe: Stripe }> {
  const dispute = await deps.prisma.dispute.findUnique({ where: { id: disputeId } });
  if (!dispute) throw new AppError('NOT_FOUND', `No dispute ${disputeId}`);
  assertEditable(dispute);
  if (!deps.stripe) throw new AppError('STRIPE_ERROR', 'Stripe is not configured');
  return { dispute, stripe: deps.stripe };
}
