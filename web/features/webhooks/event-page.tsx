// One stored Stripe event: what it is, where it stands and why (the last error in words), each
// delivery (webhook retries, duplicates, reconciliation) and each processing attempt with its
// outcome, the raw payload for when it is wanted, and the repair: dry run, then reprocess.
import { useQuery } from '@tanstack/react-query';
import { ChevronLeftIcon } from 'lucide-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useStaff } from '@/app/session';
import { CopyId } from '@/components/copy-id';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { describeEventCause, readEventCause, unknownPriceOf } from '../../../server/contracts/event-causes.ts';
import { EventStatusBadge } from './event-status';
import { ReprocessDialog } from './reprocess-dialog';

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex flex-col gap-0.5">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

const ms = (n: number | null) => (n === null ? '—' : `${formatCredits(n)} ms`);

export function EventPage() {
  const { eventId = '' } = useParams();
  const trpc = useTRPC();
  const me = useStaff();
  const event = useQuery(trpc.webhooks.getEvent.queryOptions({ eventId }, { retry: false }));
  const [reprocess, setReprocess] = useState(false);

  if (event.isPending) return <SkeletonRows rows={10} />;
  if (event.isError) {
    return (
      <div className="flex flex-col gap-4">
        <Link
          to="/webhooks"
          className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
        >
          <ChevronLeftIcon className="size-4" aria-hidden /> Webhooks
        </Link>
        <ErrorState error={event.error} onRetry={() => void event.refetch()} />
      </div>
    );
  }
  const e = event.data;
  const cause = readEventCause(e.cause, e.causeDetail);
  const price = unknownPriceOf(cause);
  // Words from the code (today's wording, also for old rows); the stored words for rows without one.
  const why = cause ? describeEventCause(cause) : e.lastError;

  return (
    <div className="flex flex-col gap-4">
      <Link
        to="/webhooks"
        className="inline-flex w-fit items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ChevronLeftIcon className="size-4" aria-hidden /> Webhooks
      </Link>
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="flex flex-col gap-1">
          <h1 className="text-xl font-semibold tracking-tight">{e.type}</h1>
          <CopyId value={e.id} />
        </div>
        {me.role !== 'finance' && (
          <Button size="sm" onClick={() => setReprocess(true)}>
            Dry run and reprocess
          </Button>
        )}
      </header>
      <dl className="flex flex-wrap gap-x-8 gap-y-3 rounded-lg border px-4 py-3">
        <Fact label="Status">
          <EventStatusBadge status={e.status} />
        </Fact>
        <Fact label="Created at Stripe">
          <TimeAgo date={e.created} />
        </Fact>
        <Fact label="Received">
          <TimeAgo date={e.receivedAt} />
        </Fact>
        <Fact label="Object">{e.objectId ? <CopyId value={e.objectId} /> : '—'}</Fact>
        <Fact label="Customer">
          {e.customerId ? (
            <Link to={`/customers/${e.customerId}`} className="underline-offset-2 hover:underline">
              open customer
            </Link>
          ) : (
            'not linked'
          )}
        </Fact>
        <Fact label="Attempts">{formatCredits(e.attempts)}</Fact>
        {e.nextAttemptAt && (
          <Fact label="Next retry">
            <TimeAgo date={e.nextAttemptAt} />
          </Fact>
        )}
        <Fact label="Source">{e.source}</Fact>
        <Fact label="Mode">{e.livemode ? <Badge tone="success">live</Badge> : <Badge>test</Badge>}</Fact>
      </dl>
      {why && (
        <div
          role="alert"
          className="flex flex-col gap-2 rounded-lg border border-destructive/30 bg-destructive/5 px-4 py-3 text-sm"
        >
          <p>
            <span className="font-medium">Why it is {e.status}:</span> {why}
          </p>
          {price && (
            <p className="text-muted-foreground">
              The catalog does not know this Stripe price.{' '}
              {me.role === 'admin' ? (
                <Link className="underline underline-offset-2" to={`/catalog?price=${encodeURIComponent(price)}`}>
                  Map {price} to a plan or pack
                </Link>
              ) : (
                `Ask an admin to map ${price} in the catalog`
              )}
              , then reprocess this event.
            </p>
          )}
        </div>
      )}
      <Card>
        <CardHeader>
          <CardTitle className="text-sm">Processing attempts</CardTitle>
        </CardHeader>
        <CardContent>
          {e.processing.length === 0 ? (
            <EmptyState title="Not processed yet">The pipeline applies an event right after storing it.</EmptyState>
          ) : (
            <Table aria-label="Processing attempts">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Outcome</TableHead>
                  <TableHead>What happened</TableHead>
                  <TableHead className="text-right">Took</TableHead>
                  <TableHead>By</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {e.processing.map((a) => (
                  <TableRow key={String(a.id)} className="align-top">
                    <TableCell>
                      <TimeAgo date={a.startedAt} />
                    </TableCell>
                    <TableCell>
                      <EventStatusBadge status={a.outcome} />
                    </TableCell>
                    <TableCell className="max-w-lg whitespace-normal">
                      {a.error ? <span className="text-destructive">{a.error}</span> : (a.summary ?? '—')}
                    </TableCell>
                    <TableCell className="text-right">{ms(a.durationMs)}</TableCell>
                    <TableCell className="text-muted-foreground">
                      {a.actorId ? 'staff (reprocess)' : 'pipeline'}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle className="text-sm">Deliveries</CardTitle>
        </CardHeader>
        <CardContent>
          {e.deliveries.length === 0 ? (
            <EmptyState title="No delivery recorded">Fetched events have no webhook delivery.</EmptyState>
          ) : (
            <Table aria-label="Deliveries">
              <TableHeader>
                <TableRow>
                  <TableHead>Received</TableHead>
                  <TableHead>Source</TableHead>
                  <TableHead>Duplicate</TableHead>
                  <TableHead>Answer</TableHead>
                  <TableHead className="text-right">Took</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {e.deliveries.map((d) => (
                  <TableRow key={String(d.id)}>
                    <TableCell>
                      <TimeAgo date={d.receivedAt} />
                    </TableCell>
                    <TableCell>{d.source}</TableCell>
                    <TableCell>{d.duplicate ? <Badge>duplicate</Badge> : 'first'}</TableCell>
                    <TableCell>
                      <EventStatusBadge status={d.outcome} />
                    </TableCell>
                    <TableCell className="text-right">{ms(d.durationMs)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <details className="rounded-lg border px-4 py-3">
        <summary className="cursor-pointer text-sm font-medium outline-none focus-visible:ring-2 focus-visible:ring-ring">
          Raw payload (as Stripe signed it)
        </summary>
        <pre tabIndex={0} className="mt-3 max-h-[60vh] overflow-auto rounded-md bg-muted/50 p-3 font-mono text-xs">
          {JSON.stringify(e.payload, null, 2)}
        </pre>
      </details>
      <ReprocessDialog eventIds={[e.id]} open={reprocess} onOpenChange={setReprocess} />
    </div>
  );
}
