// The one write path for blocking and unblocking a customer, inside the caller's transaction: the
// customer row (status, reason, since), the BlockEvent history, an entitlement event with the
// values before and after (a blocked customer has none), and the audit record. The Radar block
// list, when the setting is on, is marked pending here and synced after commit
// (sync-radar-block-list.ts), since no network call may happen inside the transaction.
import { inTransaction, type DbOrTx } from '../../db/tx.ts';
import type { BlockEvent, Customer } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getRules } from '../catalog/get-rules.ts';
import { entitlementValues, resolveEntitlements } from '../entitlements/resolve-entitlements.ts';

/** BlockEvent.actorId of the auto-block rule (the verdict and the timeline name it so). */
const RULE_ACTOR_ID = 'system';

export interface BlockChange {
  customerId: string;
  reason: string;
  actor: Actor;
  now?: Date;
}

export type BlockResult =
  { changed: true; customer: Customer; event: BlockEvent } | { changed: false; customer: Customer };

function actorId(actor: Actor): string {
  return actor.type === 'staff' ? actor.id : RULE_ACTOR_ID;
}

async function lockCustomer(tx: DbOrTx, customerId: string): Promise<Customer> {
  await tx.$queryRaw`SELECT id FROM customer WHERE id = ${customerId}::uuid FOR UPDATE`;
  const customer = await tx.customer.findUnique({ where: { id: customerId } });
  if (!customer) throw new AppError('NOT_FOUND', 'Customer not found');
  return customer;
}

async function change(
  tx: DbOrTx,
  customer: Customer,
  input: BlockChange,
  action: 'block' | 'unblock',
  radarStatus: string | null,
): Promise<BlockResult> {
  const now = input.now ?? new Date();
  const before = await resolveEntitlements(tx, customer, { now });
  const updated = await tx.customer.update({
    where: { id: customer.id },
    data:
      action === 'block'
        ? { status: 'blocked', blockedReason: input.reason, blockedAt: now }
        : { status: 'active', blockedReason: null, blockedAt: null },
  });
  const event = await tx.blockEvent.create({
    data: {
      customerId: customer.id,
      action,
      reason: input.reason,
      actorId: actorId(input.actor),
      radarStatus,
      createdAt: now,
    },
  });
  const after = await resolveEntitlements(tx, updated, { now });
  await tx.entitlementEvent.create({
    data: {
      customerId: customer.id,
      kind: action === 'block' ? 'blocked' : 'unblocked',
      before: { status: customer.status, entitlements: entitlementValues(before) },
      after: { status: updated.status, entitlements: entitlementValues(after) },
      reason: input.reason,
      reference: event.id,
      createdAt: now,
    },
  });
  await recordAudit(tx, {
    actor: input.actor,
    action: action === 'block' ? 'customer.block' : 'customer.unblock',
    targetType: 'customer',
    targetId: customer.id,
    customerId: customer.id,
    before: { status: customer.status, blockedReason: customer.blockedReason },
    after: { status: updated.status, blockedReason: updated.blockedReason, blockEventId: event.id },
    reason: input.reason,
  });
  return { changed: true, customer: updated, event };
}

/** Blocks the customer; an already blocked customer is left as is (changed: false). */
export async function recordBlock(db: DbOrTx, input: BlockChange): Promise<BlockResult> {
  return inTransaction(db, async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (customer.status === 'blocked') return { changed: false, customer };
    const rules = await getRules(tx);
    return change(tx, customer, input, 'block', rules.radarBlockList ? 'pending' : null);
  });
}

/** Unblocks the customer; one who is not blocked is left as is (changed: false). */
export async function recordUnblock(db: DbOrTx, input: BlockChange): Promise<BlockResult> {
  return inTransaction(db, async (tx) => {
    const customer = await lockCustomer(tx, input.customerId);
    if (customer.status !== 'blocked') return { changed: false, customer };
    // Whatever earlier blocks put on the Radar lists comes off, whether or not the setting is still on.
    const listed = await tx.blockEvent.count({
      where: { customerId: customer.id, action: 'block', radarStatus: { not: null } },
    });
    return change(tx, customer, input, 'unblock', listed ? 'pending' : null);
  });
}
