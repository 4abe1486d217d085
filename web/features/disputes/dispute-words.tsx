// The same words and colours for dispute states on every screen: red = overdue or lost, amber =
// waiting for us, neutral = with the bank, green = won.
import { Badge } from '@/components/ui/badge';
import type { DisputeState, DisputeUrgency } from '../../../server/contracts/disputes.ts';

const STATE_LABEL: Record<DisputeState, string> = {
  overdue: 'past due',
  needs_response: 'needs response',
  staged: 'staged, not submitted',
  submitted: 'with the bank',
  won: 'won',
  lost: 'lost',
  closed: 'closed',
};

const STATE_TONE: Record<DisputeState, 'danger' | 'warning' | 'neutral' | 'success'> = {
  overdue: 'danger',
  needs_response: 'warning',
  staged: 'warning',
  submitted: 'neutral',
  won: 'success',
  lost: 'danger',
  closed: 'neutral',
};

export function DisputeStateBadge({ state }: { state: DisputeState }) {
  return <Badge tone={STATE_TONE[state]}>{STATE_LABEL[state]}</Badge>;
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
