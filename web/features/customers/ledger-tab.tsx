// The full ledger, newest first, a server page at a time (usage entries included, one per
// request). The page and the type filter live in the URL.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StaffName } from '@/components/staff-name';
import { formatCredits } from '@/lib/format';
import { useTRPC } from '@/lib/trpc';
import { cn } from '@/lib/utils';
import { ledgerEntryTypes } from '../../../server/contracts/ledger.ts';

const PAGE_SIZE = 50;
type EntryType = (typeof ledgerEntryTypes)[number];

export function LedgerTab({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('lpage')) || 1);
  const typeParam = params.get('ltype');
  const type = ledgerEntryTypes.includes(typeParam as EntryType) ? (typeParam as EntryType) : null;
  const entries = useQuery(
    trpc.ledger.entries.queryOptions(
      { customerId, page, pageSize: PAGE_SIZE, ...(type ? { types: [type] } : {}) },
      { placeholderData: keepPreviousData },
    ),
  );
  const set = (key: string, value: string | null) => {
    const p = new URLSearchParams(params);
    if (value) p.set(key, value);
    else p.delete(key);
    if (key !== 'lpage') p.delete('lpage');
    setParams(p, { replace: true });
  };
  const pages = entries.data ? Math.max(1, Math.ceil(entries.data.total / PAGE_SIZE)) : 1;

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="ledger-type" className="text-sm text-muted-foreground">
          Entry type
        </label>
        <NativeSelect id="ledger-type" value={type ?? ''} onChange={(e) => set('ltype', e.target.value || null)}>
          <option value="">All types</option>
          {ledgerEntryTypes.map((t) => (
            <option key={t} value={t}>
              {t.replaceAll('_', ' ')}
            </option>
          ))}
        </NativeSelect>
        {entries.data && (
          <span className="ml-auto text-sm text-muted-foreground">{formatCredits(entries.data.total)} entries</span>
        )}
      </div>
      {entries.isPending && <SkeletonRows rows={10} />}
      {entries.isError && <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />}
      {entries.data &&
        (entries.data.items.length === 0 ? (
          <EmptyState title="No ledger entries">
            Entries appear with every purchase, renewal, grant, use and expiry.
          </EmptyState>
        ) : (
          <div className="rounded-lg border" aria-busy={entries.isFetching}>
            <Table aria-label="Ledger entries">
              <TableHeader>
                <TableRow>
                  <TableHead>Entry</TableHead>
                  <TableHead>When</TableHead>
                  <TableHead>Type</TableHead>
                  <TableHead className="text-right">Credits</TableHead>
                  <TableHead className="text-right">Balance after</TableHead>
                  <TableHead>Reason</TableHead>
                  <TableHead>Reference</TableHead>
                  <TableHead>By</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {entries.data.items.map((e) => (
                  <TableRow key={e.id.toString()}>
                    <TableCell className="font-mono text-xs text-muted-foreground">#{e.id.toString()}</TableCell>
                    <TableCell>
                      <TimeAgo date={e.createdAt} />
                    </TableCell>
                    <TableCell>{e.type.replaceAll('_', ' ')}</TableCell>
                    <TableCell
                      className={cn(
                        'text-right tabular-nums',
                        e.credits > 0 ? 'text-success' : e.credits < 0 ? '' : 'text-muted-foreground',
                      )}
                    >
                      {e.credits > 0 ? `+${formatCredits(e.credits)}` : formatCredits(e.credits)}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{formatCredits(e.balanceAfter)}</TableCell>
                    <TableCell className="max-w-80 truncate" title={e.reason}>
                      {e.reason}
                    </TableCell>
                    <TableCell>{e.reference ? <CopyId value={e.reference} className="max-w-44" /> : '—'}</TableCell>
                    <TableCell className="text-xs text-muted-foreground">
                      <StaffName id={e.actorId} actorType={e.actorType} />
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        ))}
      {entries.data && pages > 1 && (
        <nav aria-label="Ledger pages" className="flex items-center justify-end gap-2 text-sm">
          <span className="text-muted-foreground">
            Page {page} of {formatCredits(pages)}
          </span>
          <Button size="sm" variant="outline" disabled={page <= 1} onClick={() => set('lpage', String(page - 1))}>
            Previous
          </Button>
          <Button size="sm" variant="outline" disabled={page >= pages} onClick={() => set('lpage', String(page + 1))}>
            Next
          </Button>
        </nav>
      )}
    </div>
  );
}
