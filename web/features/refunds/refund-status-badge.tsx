// One badge vocabulary for refund statuses: amber = waiting (approval, Stripe), green = money
// returned, red = failed, neutral = closed without effect.
import { Badge } from '@/components/ui/badge';

const TONES = {
  pending_approval: ['warning', 'awaiting approval'],
  pending: ['warning', 'pending at Stripe'],
  succeeded: ['success', 'refunded'],
  failed: ['danger', 'failed'],
  canceled: ['neutral', 'canceled'],
  rejected: ['neutral', 'rejected'],
} as const;

export function RefundStatusBadge({ status }: { status: string }) {
  const [tone, label] = TONES[status as keyof typeof TONES] ?? (['neutral', status.replaceAll('_', ' ')] as const);
  return <Badge tone={tone}>{label}</Badge>;
}
