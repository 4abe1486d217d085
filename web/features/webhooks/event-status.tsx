// A stored event's status (and a dry run's outcome) in the one vocabulary (server/contracts/status-words.ts).
import { StatusBadge } from '@/components/status-badge';

export function EventStatusBadge({ status, prefix }: { status: string; prefix?: string }) {
  return <StatusBadge kind="event" status={status} {...(prefix ? { prefix } : {})} />;
}
