// Customers: one search box for any handle (email, name, the product's user id, our id, or a
// Stripe id). A Stripe id that belongs to one customer opens their page with the object
// highlighted. The URL holds the query and the page (a stack of cursors), so a link can be pasted
// into a ticket.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { SearchIcon } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { CopyId } from '@/components/copy-id';
import { DataTable } from '@/components/data-table/data-table';
import { DataTablePagination } from '@/components/data-table/data-table-pagination';
import { useListParams } from '@/components/data-table/use-list-params';
import { EmptyState, PageHeader } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { useTRPC } from '@/lib/trpc';
import { customerColumns } from './customer-columns';
import { customerPath } from './customer-path';

const PAGE_SIZE = 25;

export function CustomersPage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { filters, setFilter, pager } = useListParams(['q']);
  const q = filters.q;
  const cursor = pager.cursor;
  const [draft, setDraft] = useState(q);
  // The query can change from outside (palette, back button): the box follows it.
  const [shownQ, setShownQ] = useState(q);
  if (q !== shownQ) {
    setShownQ(q);
    if (q !== draft.trim()) setDraft(q);
  }
  const inputRef = useRef<HTMLInputElement>(null);
  // "/" focuses the search box. No autofocus on mount: it would swallow the single-key shortcuts
  // (g w, ?) and could steal focus from the Cmd-K palette opened while this lazy page loads.
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const el = e.target as HTMLElement | null;
      const typing = !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
      if (e.key === '/' && !typing && !e.metaKey && !e.ctrlKey && !e.altKey) {
        e.preventDefault();
        inputRef.current?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const search = useQuery(
    trpc.support.search.queryOptions({ q, cursor, limit: PAGE_SIZE }, { placeholderData: keepPreviousData }),
  );

  // Typing searches after a short pause; the URL follows (replace: no history entry per key).
  useEffect(() => {
    if (draft.trim() === q) return;
    const timer = setTimeout(() => {
      setFilter('q', draft.trim());
    }, 300);
    return () => clearTimeout(timer);
  }, [draft, q, setFilter]);

  // A Stripe id (or our id) that resolves to one customer lands on that customer.
  const data = search.data;
  useEffect(() => {
    if (!data || search.isPlaceholderData || !data.exact || data.items.length !== 1) return;
    const hit = data.items[0]!;
    navigate(
      customerPath(
        hit.customer.id,
        hit.match.field === 'stripe' ? { tab: 'timeline', highlight: hit.match.value } : {},
      ),
      { replace: true },
    );
  }, [data, search.isPlaceholderData, navigate]);

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Customers"
        description="Find a customer by email, name, the product's user id, or any Stripe id (cus_, cs_, pi_, ch_, in_, sub_, re_, dp_, evt_)."
      />
      <form
        role="search"
        className="relative max-w-2xl"
        onSubmit={(e) => {
          e.preventDefault();
          const value = draft.trim();
          const hits = data?.items ?? [];
          // Enter on a settled search with one hit opens it; otherwise it searches at once.
          if (value === q && hits.length === 1) navigate(customerPath(hits[0]!.customer.id));
          else setFilter('q', value);
        }}
      >
        <label htmlFor="customer-search" className="sr-only">
          Search customers
        </label>
        <SearchIcon className="pointer-events-none absolute top-2.5 left-3 size-4 text-muted-foreground" aria-hidden />
        <Input
          id="customer-search"
          ref={inputRef}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder="Email, name, user id, cus_…, pi_…, ch_…, evt_…  ( / )"
          className="h-10 pl-9 font-mono text-sm"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
      </form>

      {data && data.unlinked.length > 0 && (
        <div role="status" className="rounded-lg border border-l-4 border-l-warning bg-card px-4 py-3 text-sm">
          <p className="font-medium">This Stripe object reached us, but no customer is linked to it.</p>
          <ul className="mt-1 flex flex-col gap-1 text-muted-foreground">
            {data.unlinked.map((u) => (
              <li key={u.eventId} className="flex flex-wrap items-center gap-2">
                <CopyId value={u.eventId} /> <span>{u.eventType}</span>
                <Badge tone={u.status === 'failed' ? 'danger' : 'warning'}>{u.status}</Badge>
                {u.lastError && <span>“{u.lastError}”</span>}
              </li>
            ))}
          </ul>
          <p className="mt-2">
            Search the payer’s email to open their page: the verdict there offers to link the payment and apply it.
          </p>
        </div>
      )}
      <DataTable
        label={q ? `Customers matching ${q}` : 'Newest customers'}
        columns={customerColumns}
        data={data?.items}
        getRowId={(h) => h.customer.id}
        isPending={search.isPending}
        isFetching={search.isFetching}
        error={search.error}
        onRetry={() => void search.refetch()}
        skeletonRows={8}
        onRowClick={(h) => navigate(customerPath(h.customer.id))}
        empty={
          q ? (
            <EmptyState title={`No customer matches “${q}”`}>
              Try the email the customer paid with, their name, the product’s user id, or a Stripe id from the receipt
              (cs_, pi_, ch_, in_) or from Stripe’s dashboard (cus_, sub_, evt_).
            </EmptyState>
          ) : (
            <EmptyState title="No customers yet">
              Customers appear here when the product’s backend registers a user through the service API or a payment
              arrives from Stripe.
            </EmptyState>
          )
        }
      />
      {data && <DataTablePagination pager={pager} nextCursor={data.nextCursor} />}
    </div>
  );
}
