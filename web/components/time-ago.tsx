import { formatRelative, formatUtc } from '@/lib/format';
import { Tooltip } from './ui/tooltip';

/** Relative time, exact UTC on hover. */
export function TimeAgo({ date }: { date: Date | string }) {
  return (
    <Tooltip content={formatUtc(date)}>
      <time dateTime={new Date(date).toISOString()} className="whitespace-nowrap" tabIndex={0}>
        {formatRelative(date)}
      </time>
    </Tooltip>
  );
}
