// Dispute states in the one vocabulary (server/contracts/status-words.ts): red = overdue or lost,
// amber = waiting for us, neutral = with the bank, green = won.
import { StatusBadge } from '@/components/status-badge';
import type { DisputeState, DisputeUrgency } from '../../../server/contracts/disputes.ts';

export function DisputeStateBadge({ state }: { state: DisputeState }) {
  return <StatusBadge kind="disputeState" status={state} />;
}

export function reasonLabel(reason: string): string {
  return reason.replaceAll('_', ' ');
}

export const URGENCY_CLASS: Record<DisputeUrgency, string> = {
  overdue: 'text-destructive font-semibold',
  critical: 'text-destructive font-medium',
  soon: 'text-warning font-medium',
  ok: 'text-foreground',
  none: 'text-muted-foreground',
};
