// A status as a badge, in the one vocabulary (status-words.ts).
import { Badge } from '@/components/ui/badge';
import { statusWords, type StatusKind } from '../../server/contracts/status-words.ts';

export function StatusBadge({
  kind,
  status,
  prefix,
  className,
  title,
}: {
  kind: StatusKind;
  status: string;
  prefix?: string;
  className?: string;
  /** More on hover (why a sync failed). */
  title?: string;
}) {
  const { tone, label } = statusWords(kind, status);
  return (
    <Badge tone={tone} className={className} title={title} data-status={status}>
      {prefix}
      {label}
    </Badge>
  );
}
