// The outbox's one TypeScript entry: called inside the transaction of the change it reports, so a
// rolled-back change leaves no event and a committed one always has it. The SQL function
// outbound_record (prisma/sql/functions/outbound_record.sql) is the only writer; the ledger and
// entitlement triggers use it too. A repeated sourceKey returns the first event's id and writes
// nothing, so a handler that runs twice (webhook redelivery) reports its change once.
import type { DbOrTx } from '../../db/tx.ts';
import { OUTBOUND_EVENT_TYPES, type OutboundEventType } from '../../contracts/outbound.ts';
import { toJson } from '../../lib/json.ts';

export interface OutboundEventInput {
  type: OutboundEventType;
  customerId?: string | null;
  data: Record<string, unknown>;
  /** The cause, unique per event: "refund.completed:re_123". */
  sourceKey?: string | null;
  /** Only this endpoint receives it (test events). */
  endpointId?: string | null;
}

export async function recordOutboundEvent(tx: DbOrTx, input: OutboundEventInput): Promise<string> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT outbound_record(${input.type}, ${OUTBOUND_EVENT_TYPES[input.type]}::int, ${input.customerId ?? null}::uuid,
                           ${JSON.stringify(toJson(input.data))}::jsonb, ${input.sourceKey ?? null},
                           ${input.endpointId ?? null}::uuid) AS id`;
  return rows[0]!.id;
}
