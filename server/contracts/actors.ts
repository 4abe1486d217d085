// The parts of Creditdesk that act under their own id (Actor { type: 'system' }, audit actor
// "system:<id>") and the words people read for them. One home: the server's Actor type only accepts
// these ids, so a new automatic actor cannot reach a screen or a CSV as a bare id.
export const SYSTEM_ACTOR_WORDS = {
  system: 'Creditdesk (automatic)',
  'auto-block-rule': 'Auto-block rule',
  'demo-seed': 'Demo seed',
  'dispute-reminders': 'Dispute reminders',
  env: 'Server configuration',
  'catalog-import-cli': 'Catalog import (command line)',
  'staff-create-cli': 'Staff creation (command line)',
  bench: 'Benchmark',
} as const;

export type SystemActorId = keyof typeof SYSTEM_ACTOR_WORDS;

export function isSystemActorId(id: string): id is SystemActorId {
  return Object.hasOwn(SYSTEM_ACTOR_WORDS, id);
}
