// The facts behind the evidence text, as gathered: every use of the disputed purchase's credits,
// where the account was used from, earlier undisputed payments and the Visa CE 3.0 check.
import { CopyId } from '@/components/copy-id';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { formatCredits, formatMoney } from '@/lib/format';
import { NO_ACCESS_RECORDED, type EvidenceFacts as Facts } from '../../../server/contracts/disputes.ts';

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="flex flex-col gap-2">
      <h2 className="text-sm font-semibold">{title}</h2>
      {children}
    </section>
  );
}

export function EvidenceFacts({ facts: f }: { facts: Facts }) {
  return (
    <div className="flex flex-col gap-6">
      <Section
        title={`Use of the ${f.usage.scope === 'lot' ? 'credits bought with this payment' : 'account since the payment'}: ${f.usage.requests} requests, ${formatCredits(f.usage.credits)} credits`}
      >
        {f.usage.lines.length === 0 ? (
          <p className="text-sm text-muted-foreground">No use was recorded before the dispute.</p>
        ) : (
          <div className="max-h-96 overflow-auto rounded-lg border">
            <Table aria-label="Usage paid by the disputed purchase">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Operation</TableHead>
                  <TableHead className="text-right">Credits</TableHead>
                  <TableHead>Result</TableHead>
                  <TableHead>IP</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {f.usage.lines.map((u, i) => (
                  <TableRow key={`${u.at}-${i}`}>
                    <TableCell>
                      <TimeAgo date={u.at} />
                    </TableCell>
                    <TableCell>
                      {u.feature} {u.operation} {u.model && <span className="text-muted-foreground">({u.model})</span>}
                      {u.status === 'reversed' && (
                        <Badge tone="neutral" className="ml-2">
                          reversed
                        </Badge>
                      )}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(u.credits)}</TableCell>
                    <TableCell className="max-w-64 truncate font-mono text-xs">{u.resultReference ?? '—'}</TableCell>
                    <TableCell className="font-mono text-xs">{u.clientIp ?? '—'}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        )}
        {f.usage.omitted > 0 && (
          <p className="text-xs text-muted-foreground">{f.usage.omitted} more requests are counted but not listed.</p>
        )}
      </Section>
      <Section title="Where the account was used from">
        {f.access.length === 0 ? (
          <p className="text-sm text-muted-foreground">{NO_ACCESS_RECORDED}</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {f.access.map((a, i) => (
              <li key={i} className="flex flex-wrap gap-x-3">
                <span className="font-mono text-xs">{a.ip ?? 'unknown IP'}</span>
                <span className="max-w-md truncate text-muted-foreground">{a.userAgent}</span>
                <span className="tabular-nums">{a.requests} requests</span>
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Earlier payments by this customer, not disputed">
        {f.priorPayments.length === 0 ? (
          <p className="text-sm text-muted-foreground">None.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-sm">
            {f.priorPayments.map((p) => (
              <li key={p.paymentId} className="flex flex-wrap items-center gap-x-3">
                <span className="text-muted-foreground">{p.paidAt ? <TimeAgo date={p.paidAt} /> : '—'}</span>
                <span className="tabular-nums">{formatMoney(p.amount, p.currency)}</span>
                {p.bought && <span>{p.bought}</span>}
                {p.chargeId && <CopyId value={p.chargeId} />}
                {p.purchaseIp && <span className="font-mono text-xs">{p.purchaseIp}</span>}
              </li>
            ))}
          </ul>
        )}
      </Section>
      <Section title="Visa Compelling Evidence 3.0">
        <p className="text-sm">
          <Badge tone={f.visaCe3.eligible ? 'success' : 'neutral'} className="mr-2">
            {f.visaCe3.eligible ? 'sent with the evidence' : 'not applicable'}
          </Badge>
          {f.visaCe3.note}
        </p>
      </Section>
      <Section title="Receipt">
        <pre className="whitespace-pre-wrap rounded-md bg-muted px-3 py-2 text-xs">{f.receipt}</pre>
      </Section>
    </div>
  );
}
