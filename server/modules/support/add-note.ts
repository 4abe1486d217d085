// Support notes on a customer: append-only, shown on the customer page and in the timeline, and
// recorded in the audit log like every other staff mutation.
import type { DbOrTx } from '../../db/tx.ts';
import { inTransaction } from '../../db/tx.ts';
import type { CustomerNote } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';

export async function addNote(
  db: DbOrTx,
  input: { customerId: string; body: string; actor: Actor },
): Promise<CustomerNote> {
  const body = input.body.trim();
  if (!body) throw new AppError('VALIDATION', 'A note needs some text');
  if (input.actor.type !== 'staff') throw new AppError('FORBIDDEN', 'Only staff write notes');
  const authorId = input.actor.id;
  return inTransaction(db, async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: input.customerId }, select: { id: true } });
    if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
    const note = await tx.customerNote.create({ data: { customerId: customer.id, authorId, body } });
    await recordAudit(tx, {
      actor: input.actor,
      action: 'customer.note_add',
      targetType: 'customer_note',
      targetId: note.id,
      customerId: customer.id,
      after: { body },
    });
    return note;
  });
}
