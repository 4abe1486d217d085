// What reprocessing would do, from a dry run: per event the outcome and the ledger entries, then
// the customers whose balance, plan or status would change, entitlement changes, subscriptions and
// payments. Nothing here has happened yet.
import { Link } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatCredits } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { EventStatusBadge } from './event-status';

export type DryRunReport = RouterOutputs['webhooksAdmin']['dryRun'];

const signed = (n: number) => `${n > 0 ? '+' : ''}${formatCredits(n)}`;
const arrow = (before: unknown, after: unknown) =>
  before === after ? String(after ?? '—') : `${String(before ?? '—')} → ${String(after ?? '—')}`;

function dryRunSummary(report: DryRunReport): string {
  const t = report.totals;
  const parts = [
    t.entries
      ? `${signed(t.credits)} credits in ${t.entries} ledger entr${t.entries === 1 ? 'y' : 'ies'}`
      : 'no ledger entry',
    `${report.customers.length} customer${report.customers.length === 1 ? '' : 's'} changed`,
    `${t.entitlementChanges} entitlement change${t.entitlementChanges === 1 ? '' : 's'}`,
  ];
  const fail = t.wouldFail ? `; ${t.wouldFail} event${t.wouldFail === 1 ? '' : 's'} would still fail` : '';
  return `Reprocessing would make ${parts.join(', ')}${fail}.`;
}

export function DryRunReportView({ report }: { report: DryRunReport }) {
  const emails = new Map(report.customers.map((c) => [c.id, c.after.email]));
  return (
    <div className="flex flex-col gap-4 text-sm">
      <p role="status" className="font-medium">
        {dryRunSummary(report)}
      </p>
      <Table aria-label="Dry run by event">
        <TableHeader>
          <TableRow>
            <TableHead>Event</TableHead>
            <TableHead>Now</TableHead>
            <TableHead>Would be</TableHead>
            <TableHead>What it would do</TableHead>
            <TableHead className="text-right">Credits</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {report.events.map((e) => (
            <TableRow key={e.eventId} className="align-top">
              <TableCell>
                <CopyId value={e.eventId} />
                <div className="text-xs text-muted-foreground">{e.type}</div>
              </TableCell>
              <TableCell>
                <EventStatusBadge status={e.status} />
              </TableCell>
              <TableCell>
                <EventStatusBadge status={e.outcome} />
              </TableCell>
              <TableCell className="max-w-sm whitespace-normal">
                {e.error ? <span className="text-destructive">{e.error}</span> : e.summary}
                {e.entitlementChanges.map((c, i) => (
                  <div key={i} className="text-xs text-muted-foreground">
                    entitlements: {c.kind.replaceAll('_', ' ')} ({c.reason})
                  </div>
                ))}
              </TableCell>
              <TableCell className="text-right">
                {e.ledgerEntries.length ? signed(e.ledgerEntries.reduce((n, x) => n + x.credits, 0)) : '—'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {report.customers.length > 0 && (
        <Table aria-label="Customers the reprocess would change">
          <TableHeader>
            <TableRow>
              <TableHead>Customer</TableHead>
              <TableHead className="text-right">Balance</TableHead>
              <TableHead>Plan</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {report.customers.map((c) => (
              <TableRow key={c.id}>
                <TableCell>
                  {c.before ? (
                    <Link className="underline-offset-2 hover:underline" to={`/customers/${c.id}`}>
                      {c.after.email}
                    </Link>
                  ) : (
                    <span>
                      {c.after.email} <span className="text-muted-foreground">(new customer {c.after.externalId})</span>
                    </span>
                  )}
                </TableCell>
                <TableCell className="text-right">
                  {arrow(c.before ? formatCredits(c.before.balance) : null, formatCredits(c.after.balance))}
                </TableCell>
                <TableCell>
                  {arrow(c.before?.planKey ?? (c.before ? 'default' : null), c.after.planKey ?? 'default')}
                </TableCell>
                <TableCell>{arrow(c.before?.status ?? null, c.after.status)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {(report.subscriptions.length > 0 || report.payments.length > 0) && (
        <ul className="flex flex-col gap-1 text-muted-foreground">
          {report.subscriptions.map((s) => (
            <li key={s.id}>
              Subscription <CopyId value={s.id} />: status {arrow(s.before?.status ?? null, s.after.status)}, plan{' '}
              {arrow(s.before?.planKey ?? null, s.after.planKey)}
            </li>
          ))}
          {report.payments.map((p) => (
            <li key={p.id}>
              Payment for{' '}
              {p.after.customerId ? (emails.get(p.after.customerId) ?? 'the customer') : 'an unknown customer'}:{' '}
              {p.before ? `status ${arrow(p.before.status, p.after.status)}` : `recorded as ${p.after.status}`}
              {p.after.creditsGranted ? `, ${formatCredits(p.after.creditsGranted)} credits granted` : ''}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
