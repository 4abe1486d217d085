// The Payment a charge-level object (refund, dispute, fraud warning) belongs to. Pack payments are
// known by their payment intent from the checkout session; the charge id is linked on first sight.
import type { Tx } from '../../db/tx.ts';
import type { Payment } from '../../generated/prisma/client.ts';

export async function findPaymentForCharge(
  tx: Tx,
  input: { chargeId: string | null; paymentIntentId: string | null },
): Promise<Payment | null> {
  let payment: Payment | null = null;
  if (input.chargeId) payment = await tx.payment.findUnique({ where: { chargeId: input.chargeId } });
  if (!payment && input.paymentIntentId) {
    payment = await tx.payment.findUnique({ where: { paymentIntentId: input.paymentIntentId } });
  }
  if (payment && input.chargeId && !payment.chargeId) {
    const taken = await tx.payment.findUnique({ where: { chargeId: input.chargeId }, select: { id: true } });
    if (!taken) payment = await tx.payment.update({ where: { id: payment.id }, data: { chargeId: input.chargeId } });
  }
  return payment;
}

/** A refund or dispute can only concern money that was paid: while the payment we know is still
 * pending (a delayed method whose success event is late), the credits are not granted yet and
 * the effect must wait for them. */
export function isSettled(payment: Payment): boolean {
  return payment.status !== 'pending';
}
