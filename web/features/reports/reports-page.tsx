// Reports: charts and CSV exports for one date range (in the URL, so a link reproduces the view).
// Exports stream from the server with progress and a Cancel button.
import { useQuery } from '@tanstack/react-query';
import { DownloadIcon, XIcon } from 'lucide-react';
import { useSearchParams } from 'react-router';
import { EmptyState, ErrorState, PageHeader, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import {
  EXPORT_KIND_LABELS,
  EXPORT_KIND_VALUES,
  reportRangeInput,
  type ReportRange,
} from '../../../server/contracts/reports.ts';
import { ReportCharts } from './report-charts';
import { useCsvExport } from './use-csv-export';

function defaultRange(): ReportRange {
  const now = new Date();
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 11, 1));
  return { from: from.toISOString().slice(0, 10), to: now.toISOString().slice(0, 10) };
}

export function ReportsPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const fallback = defaultRange();
  const asked = { from: params.get('from') ?? fallback.from, to: params.get('to') ?? fallback.to };
  const valid = reportRangeInput.safeParse(asked);
  const range = valid.success ? valid.data : fallback;
  const charts = useQuery({ ...trpc.reports.charts.queryOptions(range), enabled: valid.success });
  const currencies = charts.data?.currencies ?? [];
  const currency = currencies.includes(params.get('currency') ?? '')
    ? params.get('currency')!
    : (currencies[0] ?? 'eur');
  const setParam = (key: string, value: string) => {
    const p = new URLSearchParams(params);
    p.set(key, value);
    setParams(p, { replace: true });
  };

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Reports"
        description="Revenue, refunds, disputes and credits for a range of dates (UTC), and CSV exports streamed from the database."
        actions={
          <div className="flex flex-wrap items-end gap-3">
            <div className="flex flex-col gap-1">
              <Label htmlFor="report-from">From</Label>
              <Input
                id="report-from"
                type="date"
                value={asked.from}
                onChange={(e) => setParam('from', e.target.value)}
              />
            </div>
            <div className="flex flex-col gap-1">
              <Label htmlFor="report-to">To</Label>
              <Input id="report-to" type="date" value={asked.to} onChange={(e) => setParam('to', e.target.value)} />
            </div>
            {currencies.length > 1 && (
              <div className="flex flex-col gap-1">
                <Label htmlFor="report-currency">Currency</Label>
                <NativeSelect
                  id="report-currency"
                  value={currency}
                  onChange={(e) => setParam('currency', e.target.value)}
                >
                  {currencies.map((c) => (
                    <option key={c} value={c}>
                      {c.toUpperCase()}
                    </option>
                  ))}
                </NativeSelect>
              </div>
            )}
          </div>
        }
      />
      {!valid.success && (
        <p role="alert" className="text-sm text-destructive">
          {valid.error.issues[0]?.message ?? 'Check the dates'}
        </p>
      )}

      {charts.isPending ? (
        <SkeletonRows rows={8} />
      ) : charts.isError ? (
        <ErrorState error={charts.error} onRetry={() => void charts.refetch()} />
      ) : charts.data.revenue.length === 0 && charts.data.credits.every((c) => c.issued === 0 && c.consumed === 0) ? (
        <EmptyState title="Nothing happened in this range">
          Charts fill in as customers pay, use credits and open disputes. Try a wider range.
        </EmptyState>
      ) : (
        <ReportCharts data={charts.data} currency={currency} />
      )}

      <Exports range={range} />
    </div>
  );
}

function Exports({ range }: { range: ReportRange }) {
  const { state, start, cancel } = useCsvExport();
  const running = state.status === 'running';
  return (
    <Card>
      <CardHeader>
        <CardTitle>CSV exports</CardTitle>
        <CardDescription>
          {range.from} to {range.to} (UTC). Money in minor units beside its currency; any size streams straight from the
          database.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <ul className="divide-y rounded-md border">
          {EXPORT_KIND_VALUES.map((kind) => (
            <li key={kind} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2">
              <div className="min-w-0">
                <p className="text-sm font-medium">{EXPORT_KIND_LABELS[kind].title}</p>
                <p className="text-xs text-muted-foreground">{EXPORT_KIND_LABELS[kind].description}</p>
              </div>
              <Button
                size="sm"
                variant="outline"
                disabled={running}
                onClick={() => void start(kind, range)}
                aria-label={`Export ${EXPORT_KIND_LABELS[kind].title} as CSV`}
              >
                <DownloadIcon aria-hidden /> CSV
              </Button>
            </li>
          ))}
        </ul>
        <div aria-live="polite" className="min-h-6 text-sm" data-testid="export-status">
          {state.status === 'running' && (
            <div className="flex flex-wrap items-center gap-3">
              <progress
                className="h-2 w-64 accent-primary"
                max={state.total ?? undefined}
                value={state.total ? state.rows : undefined}
                aria-label={`${EXPORT_KIND_LABELS[state.kind].title} export progress`}
              />
              <span className="tabular-nums">
                {EXPORT_KIND_LABELS[state.kind].title}: {formatCredits(state.rows)}
                {state.total !== null ? ` of ${formatCredits(state.total)}` : ''} rows
              </span>
              <Button size="sm" variant="ghost" onClick={cancel}>
                <XIcon aria-hidden /> Cancel
              </Button>
            </div>
          )}
          {state.status === 'done' && (
            <span className="text-success">
              {EXPORT_KIND_LABELS[state.kind].title}: {formatCredits(state.rows)} rows downloaded.
            </span>
          )}
          {state.status === 'cancelled' && (
            <span className="text-muted-foreground">
              {EXPORT_KIND_LABELS[state.kind].title} export cancelled after {formatCredits(state.rows)} rows; nothing
              was saved.
            </span>
          )}
          {state.status === 'error' && (
            <span role="alert" className="text-destructive">
              {EXPORT_KIND_LABELS[state.kind].title} export failed: {state.message}
            </span>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
