// The evidence deadline as a live countdown ("2 d 4 h left", "past due by 3 h"), coloured by
// urgency; the exact UTC time on hover. Re-renders every 30 s so a page left open stays true.
import { ClockIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Tooltip } from '@/components/ui/tooltip';
import { formatUtc } from '@/lib/format';
import { cn } from '@/lib/utils';
import type { DisputeUrgency } from '../../../server/contracts/disputes.ts';
import { URGENCY_CLASS } from './dispute-words';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function formatLeft(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / DAY);
  const h = Math.floor((abs % DAY) / HOUR);
  const m = Math.floor((abs % HOUR) / 60_000);
  const text = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
  return ms >= 0 ? `${text} left` : `past due by ${text}`;
}

function urgencyOf(ms: number): DisputeUrgency {
  if (ms <= 0) return 'overdue';
  if (ms < DAY) return 'critical';
  if (ms < 3 * DAY) return 'soon';
  return 'ok';
}

export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** `dueBy` null or `active` false: no countdown (answered, closed, or the bank allows none). */
export function DueCountdown({
  dueBy,
  active,
  className,
}: {
  dueBy: Date | string | null;
  active: boolean;
  className?: string;
}) {
  const now = useNow();
  if (!dueBy || !active) return <span className={cn('text-muted-foreground', className)}>—</span>;
  const ms = new Date(dueBy).getTime() - now;
  const urgency = urgencyOf(ms);
  return (
    <Tooltip content={`Evidence due ${formatUtc(dueBy)}`}>
      <span
        tabIndex={0}
        data-testid="due-countdown"
        data-urgency={urgency}
        className={cn(
          'inline-flex items-center gap-1 whitespace-nowrap tabular-nums',
          URGENCY_CLASS[urgency],
          className,
        )}
      >
        <ClockIcon className="size-3.5" aria-hidden />
        {formatLeft(ms)}
      </span>
    </Tooltip>
  );
}
