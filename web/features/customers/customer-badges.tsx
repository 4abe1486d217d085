// The same status words and colours on every customer screen: red = action needed or money lost,
// amber = waiting, green = settled.
import { Badge } from '@/components/ui/badge';
import type { Tone } from '../../../server/contracts/support.ts';

const TONE_TO_BADGE = { neutral: 'neutral', success: 'success', warning: 'warning', danger: 'danger' } as const;

export function ToneBadge({ tone, children }: { tone: Tone; children: React.ReactNode }) {
  return <Badge tone={TONE_TO_BADGE[tone]}>{children}</Badge>;
}

export function CustomerStatusBadge({
  status,
  reason,
}: {
  status: 'active' | 'blocked' | 'grace';
  reason?: string | null;
}) {
  if (status === 'blocked') {
    return (
      <Badge tone="danger" title={reason ?? undefined}>
        blocked
      </Badge>
    );
  }
  if (status === 'grace') return <Badge tone="warning">in grace</Badge>;
  return <Badge tone="success">active</Badge>;
}
