// Every staff mutation (and every system change an admin would ask about) leaves an audit record
// in the same transaction as the change itself: no change without its record, no record without
// its change. audit_log is append-only (trigger in the init migration).
import type { DbOrTx } from '../../db/tx.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Actor } from '../../lib/actor.ts';
import { jsonColumn } from '../../lib/json.ts';

export interface AuditInput {
  actor: Actor;
  /** Dotted verb, e.g. "ledger.grant", "catalog.import", "api_key.create". */
  action: string;
  targetType: string;
  targetId?: string | null;
  customerId?: string | null;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export async function recordAudit(tx: DbOrTx, input: AuditInput) {
  const { actor } = input;
  const staff = actor.type === 'staff' ? actor : null;
  return tx.auditLog.create({
    data: {
      actorId: staff ? staff.id : `${actor.type}:${actor.id}`,
      actorEmail: staff?.email ?? null,
      actorRole: staff ? staff.role : actor.type,
      ip: staff?.ip ?? null,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      customerId: input.customerId ?? null,
      before: jsonColumn(input.before) as Prisma.InputJsonValue | undefined,
      after: jsonColumn(input.after) as Prisma.InputJsonValue | undefined,
      reason: input.reason ?? null,
    },
  });
}
