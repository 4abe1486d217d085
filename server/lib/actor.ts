// Who did something: recorded on ledger entries and audit records.
import type { SystemActorId } from '../contracts/actors.ts';
import type { StaffRole } from '../auth.ts';

export type Actor =
  | { type: 'staff'; id: string; email: string; role: StaffRole; ip: string | null }
  | { type: 'service'; id: string }
  | { type: 'stripe'; id: string }
  | { type: 'system'; id: SystemActorId };

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'system' };
