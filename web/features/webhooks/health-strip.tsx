// The pipeline at a glance, above every webhook view: events per status (each filters the list),
// the signature-failure counter for a chosen window ("3 signature failures since 10:02 UTC"), the
// last delivery, and the last reconciliation run with what it found.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { TimeAgo } from '@/components/time-ago';
import { Skeleton } from '@/components/ui/skeleton';
import { NativeSelect } from '@/components/ui/native-select';
import { formatCredits, formatUtc } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { EVENT_STATUSES } from '../../../server/contracts/statuses.ts';
import { statusWords, type StatusTone } from '../../../server/contracts/status-words.ts';
import { reconciliationSummary } from './reconciliation-tab';

export const SIGNATURE_WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const;
export type SignatureWindow = keyof typeof SIGNATURE_WINDOWS;
/** A count in the colour of its status's badge, when it needs a look (danger, waiting). */
const COUNT_COLOUR: Record<StatusTone, string> = {
  danger: 'text-destructive',
  warning: 'text-warning',
  success: '',
  neutral: '',
};

/** The current minute, refreshed every minute: stable query keys, a counter that moves on. */
function useMinute(): number {
  const [minute, setMinute] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  useEffect(() => {
    const timer = setInterval(() => setMinute(Math.floor(Date.now() / 60_000) * 60_000), 60_000);
    return () => clearInterval(timer);
  }, []);
  return minute;
}

function sinceWords(since: Date, window: SignatureWindow): string {
  const utc = formatUtc(since);
  return window === '7d' ? `${utc.slice(0, 16)} UTC` : `${utc.slice(11, 16)} UTC`;
}

export function HealthStrip({
  window,
  onWindow,
  statusHref,
}: {
  window: SignatureWindow;
  onWindow: (w: SignatureWindow) => void;
  statusHref: (status: string) => string;
}) {
  const trpc = useTRPC();
  const minute = useMinute();
  const since = new Date(minute - SIGNATURE_WINDOWS[window]);
  const health = useQuery(trpc.webhooks.health.queryOptions({ since }, { refetchInterval: 30_000 }));
  if (health.isPending) return <Skeleton className="h-20 w-full" />;
  if (health.isError) {
    return (
      <p role="alert" className="text-sm text-destructive">
        The pipeline’s health could not be read: {health.error.message}
      </p>
    );
  }
  const h = health.data;
  const sig = h.rejections;
  const run = h.lastReconciliation;
  return (
    <section aria-label="Pipeline health" className="grid grid-cols-1 gap-3 md:grid-cols-3">
      <div className="rounded-lg border px-4 py-3">
        <h2 className="text-xs text-muted-foreground">Stored events</h2>
        <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm tabular-nums">
          {EVENT_STATUSES.map((s) => (
            <li key={s}>
              <Link
                to={statusHref(s)}
                className={cn(
                  'underline-offset-2 hover:underline',
                  (h.events[s] ?? 0) > 0 && COUNT_COLOUR[statusWords('event', s).tone],
                )}
              >
                {formatCredits(h.events[s] ?? 0)} {s}
              </Link>
            </li>
          ))}
        </ul>
        <p className="mt-1 text-xs text-muted-foreground">
          Last delivery {h.lastDeliveryAt ? <TimeAgo date={h.lastDeliveryAt} /> : 'never'}
          {h.nextRetry?.nextAttemptAt && (
            <>
              {' · next retry '}
              <TimeAgo date={h.nextRetry.nextAttemptAt} />
            </>
          )}
        </p>
      </div>
      <div className="rounded-lg border px-4 py-3">
        <div className="flex items-center justify-between gap-2">
          <h2 className="text-xs text-muted-foreground">Signature failures</h2>
          <NativeSelect
            aria-label="Signature failures window"
            className="h-7 text-xs"
            value={window}
            onChange={(e) => onWindow(e.target.value as SignatureWindow)}
          >
            <option value="1h">last hour</option>
            <option value="24h">last 24 hours</option>
            <option value="7d">last 7 days</option>
          </NativeSelect>
        </div>
        <p
          className={cn('mt-1 text-sm font-medium tabular-nums', sig.total > 0 && 'text-destructive')}
          data-testid="signature-failures"
        >
          {formatCredits(sig.total)} signature failure{sig.total === 1 ? '' : 's'} since {sinceWords(h.since, window)}
        </p>
        <p className="text-xs text-muted-foreground">
          {sig.total > 0
            ? `${Object.entries(sig.byReason)
                .map(([reason, n]) => `${n} ${reason.replaceAll('_', ' ')}`)
                .join(', ')} · last `
            : 'Requests to /api/stripe/webhook that failed verification are counted here. '}
          {sig.total > 0 && sig.lastAt && <TimeAgo date={sig.lastAt} />}
        </p>
      </div>
      <div className="rounded-lg border px-4 py-3">
        <h2 className="text-xs text-muted-foreground">Last reconciliation</h2>
        {run ? (
          <>
            <p className={cn('mt-1 text-sm font-medium', run.status === 'failed' && 'text-destructive')}>
              {run.status} <TimeAgo date={run.startedAt} />
            </p>
            <p className="text-xs text-muted-foreground">
              {reconciliationSummary(run)} ·{' '}
              <Link to="?view=reconciliation" className="underline-offset-2 hover:underline">
                details
              </Link>
            </p>
          </>
        ) : (
          <p className="mt-1 text-sm text-muted-foreground">
            Not run yet: it runs hourly, and on demand from the Reconciliation tab.
          </p>
        )}
      </div>
    </section>
  );
}
