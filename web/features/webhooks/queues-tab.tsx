// The failed and deferred queues, grouped by cause: fix the cause once (map the price, link the
// customer) and reprocess its events together. Deferred events are retried by the job; failed
// ones wait for a person.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useStaff } from '@/app/session';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';
import { ReprocessDialog } from './reprocess-dialog';

export function QueuesTab() {
  const trpc = useTRPC();
  const me = useStaff();
  const groups = useQuery(trpc.webhooksAdmin.failureGroups.queryOptions());
  const [reprocess, setReprocess] = useState<string[] | null>(null);
  if (groups.isPending) return <SkeletonRows rows={5} />;
  if (groups.isError) return <ErrorState error={groups.error} onRetry={() => void groups.refetch()} />;
  if (!groups.data.length) {
    return (
      <EmptyState title="Nothing is waiting">
        Events that fail (need a person) or are deferred (retried automatically) are grouped here by cause.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <ul className="flex flex-col divide-y rounded-lg border" aria-label="Waiting events by cause">
        {groups.data.map((g) => (
          <li key={`${g.status}:${g.error}`} className="flex flex-col gap-2 px-4 py-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <EventStatusBadge status={g.status} />
              <span className="font-medium">{g.error ?? 'no error recorded'}</span>
            </div>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-muted-foreground">
              <span className="tabular-nums">
                {formatCredits(g.events)} event{g.events === 1 ? '' : 's'} · oldest <TimeAgo date={g.firstAt} /> ·
                newest <TimeAgo date={g.lastAt} />
              </span>
              <Link
                to={`/webhooks?status=${g.status}${g.events === 1 ? `&q=${g.eventIds[0]}` : ''}`}
                className="underline-offset-2 hover:underline"
              >
                Show {g.events === 1 ? 'the event' : 'events'}
              </Link>
              {g.unknownPrice && me.role === 'admin' && (
                <Button asChild size="sm" variant="outline">
                  <Link to={`/catalog?price=${encodeURIComponent(g.unknownPrice)}`}>Map {g.unknownPrice}</Link>
                </Button>
              )}
              {g.unknownPrice && me.role !== 'admin' && <span>An admin maps {g.unknownPrice} in the catalog.</span>}
              {me.role !== 'finance' && (
                <Button size="sm" variant="outline" onClick={() => setReprocess(g.eventIds)}>
                  Dry run and reprocess {g.eventIds.length === 1 ? 'it' : formatCredits(g.eventIds.length)}
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
      <ReprocessDialog
        eventIds={reprocess ?? []}
        open={!!reprocess}
        onOpenChange={(o) => {
          if (!o) setReprocess(null);
        }}
      />
    </div>
  );
}
