// Who did something, when it was not a staff member: ledger entries carry the actor's type beside
// its id, audit records keep non-staff actors as "<type>:<id>" (server/modules/audit/record-audit.ts).
// Either way a person reads what acted ("Auto-block rule", "Stripe"), never "system:auto-block-rule";
// the automatic actors' words live with their ids in server/contracts/actors.ts.

import { isSystemActorId, SYSTEM_ACTOR_WORDS } from '../../server/contracts/actors.ts';

const BY_TYPE: Record<string, string> = {
  system: SYSTEM_ACTOR_WORDS.system,
  service: 'the product (API key)',
  stripe: 'Stripe',
  webhook: 'Stripe webhook',
};

const TYPED = /^(system|service|stripe|webhook):(.+)$/;

/**
 * The words for a non-staff actor, or null when `id` names a staff member (look them up by id).
 * `actorType` is the record's own actor type when it has one (ledger entries, blocks).
 */
export function nonStaffActorName(id: string | null | undefined, actorType?: string | null): string | null {
  const typed = id ? TYPED.exec(id) : null;
  const type = actorType && actorType !== 'staff' ? actorType : (typed?.[1] ?? (id === 'system' ? 'system' : null));
  if (!type) return null;
  const own = typed?.[2] ?? id;
  if (type === 'system' && own && isSystemActorId(own)) return SYSTEM_ACTOR_WORDS[own];
  return BY_TYPE[type] ?? type;
}
