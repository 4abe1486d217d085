// Reprocessing stored events one at a time with progress, cancellable after the event in hand:
// the run itself and its progress view, shared by the reprocess dialog and the price mapping
// dialog (which maps a price, then reprocesses the events that waited on it).
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { CopyId } from '@/components/copy-id';
import { describeError } from '@/lib/errors';
import { formatCredits } from '@/lib/format';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';

export interface RunResult {
  eventId: string;
  status: string;
  summary?: string | null;
  error?: string | null;
}

/** Reads again what a reprocess changes: event lists, queues, unmapped prices, customer pages. */
export function useInvalidateAfterReprocess() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.webhooks.pathFilter()),
      queryClient.invalidateQueries(trpc.webhooksAdmin.pathFilter()),
      queryClient.invalidateQueries(trpc.catalogAdmin.unmappedPrices.pathFilter()),
      queryClient.invalidateQueries(trpc.support.pathFilter()),
    ]);
}

export function useReprocessRun(
  onRunning?: (running: boolean) => void,
  /** false: the caller reads the lists again itself (when its dialog closes, so nothing it shows unmounts it). */
  invalidateWhenDone = true,
) {
  const client = useTRPCClient();
  const invalidate = useInvalidateAfterReprocess();
  const [phase, setPhase] = useState<'idle' | 'running' | 'done'>('idle');
  const [results, setResults] = useState<RunResult[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [total, setTotal] = useState(0);
  const cancelled = useRef(false);
  const [cancelRequested, setCancelRequested] = useState(false);

  async function run(eventIds: readonly string[], reason: string) {
    cancelled.current = false;
    setTotal(eventIds.length);
    setPhase('running');
    onRunning?.(true);
    const done: RunResult[] = [];
    for (const eventId of eventIds) {
      if (cancelled.current) break;
      setCurrent(eventId);
      try {
        const r = await client.webhooks.reprocess.mutate({ eventId, reason });
        done.push({ eventId, status: r.status, summary: r.summary ?? null, error: r.error ?? null });
      } catch (err) {
        done.push({ eventId, status: 'error', error: describeError(err).message });
      }
      setResults([...done]);
    }
    setCurrent(null);
    setPhase('done');
    onRunning?.(false);
    if (invalidateWhenDone) await invalidate();
    return done;
  }

  return {
    phase,
    results,
    current,
    total,
    cancelRequested,
    run,
    cancel: () => {
      cancelled.current = true;
      setCancelRequested(true);
    },
  };
}

export type ReprocessRun = ReturnType<typeof useReprocessRun>;

export function ReprocessProgress({ state }: { state: ReprocessRun }) {
  const { results, total: n, current, phase } = state;
  const processed = results.filter((r) => r.status === 'processed').length;
  const notApplied = results.filter((r) => r.status !== 'processed' && r.status !== 'ignored');
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-col gap-1">
        <progress
          className="h-2 w-full overflow-hidden rounded-full [&::-moz-progress-bar]:bg-primary [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-primary"
          value={results.length}
          max={n}
          aria-label="Reprocess progress"
        />
        <p role="status" aria-live="polite" className="text-sm tabular-nums" data-testid="reprocess-progress">
          {formatCredits(results.length)} of {formatCredits(n)} reprocessed · {formatCredits(processed)} applied ·{' '}
          {formatCredits(notApplied.length)} not applied
          {current && (
            <>
              {' · now '}
              <span className="font-mono text-xs">{current}</span>
            </>
          )}
          {phase === 'done' &&
            results.length < n &&
            ` · cancelled, ${formatCredits(n - results.length)} not reprocessed`}
        </p>
      </div>
      {phase === 'done' && results.some((r) => r.summary) && (
        <ul className="flex max-h-48 flex-col gap-1 overflow-y-auto text-sm" aria-label="Events applied">
          {results
            .filter((r) => r.status === 'processed' && r.summary)
            .map((r) => (
              <li key={r.eventId} className="flex flex-wrap items-center gap-2">
                <CopyId value={r.eventId} /> <span>{r.summary}</span>
              </li>
            ))}
        </ul>
      )}
      {notApplied.length > 0 && (
        <ul className="flex max-h-48 flex-col gap-1 overflow-y-auto text-sm" aria-label="Events not applied">
          {notApplied.map((r) => (
            <li key={r.eventId} className="flex flex-wrap items-center gap-2">
              <CopyId value={r.eventId} /> <EventStatusBadge status={r.status} />
              <span className="text-destructive">{r.error}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
