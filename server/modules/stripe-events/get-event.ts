// One stored Stripe event with everything support needs to read its story: the payload, each
// delivery (webhook, reconciliation, manual), and each processing attempt with its outcome.
import type { Db } from '../../db/client.ts';
import { AppError } from '../../lib/app-error.ts';

export async function getEvent(db: Db, eventId: string) {
  const event = await db.stripeEvent.findUnique({
    where: { id: eventId },
    include: {
      deliveries: { orderBy: { id: 'asc' } },
      processing: { orderBy: { id: 'asc' } },
    },
  });
  if (!event) throw new AppError('NOT_FOUND', `No stored Stripe event ${eventId}`);
  return event;
}
