// Refund statuses in the one vocabulary (server/contracts/status-words.ts).
import { StatusBadge } from '@/components/status-badge';

export function RefundStatusBadge({ status }: { status: string }) {
  return <StatusBadge kind="refund" status={status} />;
}
