// The Stripe price mapping helper: prices Stripe has told us about (in events, in failures, in the
// Stripe account) that the catalog does not map, with the failed events waiting on each. "Map"
// opens the mapping dialog (dry run first, then save and reprocess the waiting events).
// `?price=` opens the mapping at once.
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useStaff } from '@/app/session';
import { CopyId } from '@/components/copy-id';
import { InputField } from '@/components/field';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { ReprocessDialog } from '@/features/webhooks/reprocess-dialog';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { priceToMapInput, type PriceToMapInput } from '../../../server/contracts/catalog-admin.ts';
import { MapPriceDialog } from './map-price-dialog';
import type { CatalogEditor } from './use-catalog-editor';

type Unmapped = RouterOutputs['catalogAdmin']['unmappedPrices']['items'][number];

function describePrice(p: Unmapped): string {
  const d = p.details;
  if (!d) return '—';
  const amount = d.unitAmount !== null && d.currency ? formatMoney(d.unitAmount, d.currency) : null;
  return [
    d.nickname ?? d.productName,
    amount && (d.interval ? `${amount} / ${d.interval}` : `${amount} once`),
    d.product,
  ]
    .filter(Boolean)
    .join(' · ');
}

export function PricesTab({
  editor,
  requestedPrice,
  onRequestHandled,
}: {
  editor: CatalogEditor;
  requestedPrice: string | null;
  onRequestHandled: () => void;
}) {
  const trpc = useTRPC();
  const me = useStaff();
  const list = useQuery(trpc.catalogAdmin.unmappedPrices.queryOptions({}));
  const [mapping, setMapping] = useState<string | null>(null);
  const [reprocess, setReprocess] = useState<string[] | null>(null);
  // A price named in the URL opens the mapping dialog once.
  const [handled, setHandled] = useState<string | null>(null);
  if (requestedPrice && handled !== requestedPrice && !editor.dirty) {
    setHandled(requestedPrice);
    setMapping(requestedPrice);
  }
  const canReprocess = me.role === 'admin' || me.role === 'support';

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-muted-foreground">
        Prices seen in Stripe events{list.data?.stripe.checked ? ' or in the Stripe account' : ''} in the last 90 days
        that no plan or pack sells. Events for them fail with “unknown price” until the price is mapped.
      </p>
      {editor.dirty && (
        <p role="status" className="rounded-md border border-warning/40 bg-warning/10 p-2 text-sm">
          You have unsaved catalog edits. Mapping a price saves a new catalog version, so save or discard your edits
          first.
        </p>
      )}
      {list.data?.stripe.error && (
        <p role="status" className="text-sm text-warning">
          Stripe could not be asked for its prices: {list.data.stripe.error}
        </p>
      )}
      {list.isPending && <SkeletonRows rows={4} />}
      {list.isError && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.mappedWaiting.length > 0 && (
        <section aria-labelledby="waiting-heading" className="flex flex-col gap-2">
          <h2 id="waiting-heading" className="text-sm font-semibold">
            Mapped, events still waiting
          </h2>
          <ul className="flex flex-col gap-1 text-sm">
            {list.data.mappedWaiting.map((m) => (
              <li key={m.priceId} className="flex flex-wrap items-center gap-2">
                <CopyId value={m.priceId} /> sells {m.owner.replace(':', ' ')}
                <Badge tone="warning">{formatCredits(m.waitingEventIds.length)} failed events</Badge>
                {canReprocess && (
                  <Button size="sm" variant="outline" onClick={() => setReprocess(m.waitingEventIds)}>
                    Dry run and reprocess
                  </Button>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {list.data && list.data.items.length === 0 && (
        <EmptyState title="Every price Stripe has shown us is mapped">
          When an event names a price the catalog does not know, it appears here with the events waiting on it.
        </EmptyState>
      )}
      {list.data && list.data.items.length > 0 && (
        <Table aria-label="Unmapped Stripe prices">
          <TableHeader>
            <TableRow>
              <TableHead>Price</TableHead>
              <TableHead>What Stripe says</TableHead>
              <TableHead className="text-right">Waiting</TableHead>
              <TableHead className="text-right">In events</TableHead>
              <TableHead className="text-right">Customers</TableHead>
              <TableHead>Last seen</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {list.data.items.map((p) => (
              <TableRow key={p.priceId}>
                <TableCell>
                  <CopyId value={p.priceId} />
                  {p.inStripe && (
                    <Badge tone="outline" className="ml-2">
                      in Stripe
                    </Badge>
                  )}
                </TableCell>
                <TableCell className="max-w-xs whitespace-normal text-muted-foreground">{describePrice(p)}</TableCell>
                <TableCell className="text-right">
                  {p.waitingEventIds.length ? (
                    <Badge tone="danger">{formatCredits(p.waitingEventIds.length)}</Badge>
                  ) : (
                    <span className="text-muted-foreground">0</span>
                  )}
                </TableCell>
                <TableCell className="text-right">{formatCredits(p.seenInEvents)}</TableCell>
                <TableCell className="text-right">{formatCredits(p.customers)}</TableCell>
                <TableCell>{p.lastSeenAt ? <TimeAgo date={p.lastSeenAt} /> : '—'}</TableCell>
                <TableCell className="text-right">
                  <Button size="sm" disabled={editor.dirty} onClick={() => setMapping(p.priceId)}>
                    Map {p.priceId}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <MapAnotherPrice disabled={editor.dirty} onMap={setMapping} />
      <MapPriceDialog
        priceId={mapping}
        onClose={() => {
          setMapping(null);
          onRequestHandled();
          void list.refetch();
        }}
        onDone={() => void editor.reload()}
      />
      <ReprocessDialog
        eventIds={reprocess ?? []}
        open={!!reprocess}
        onOpenChange={(o) => {
          if (!o) {
            setReprocess(null);
            void list.refetch();
          }
        }}
        title="Reprocess the events that waited on this price"
      />
    </div>
  );
}

/** A price id typed by hand (one no event has named yet), checked by the mapping's own contract. */
function MapAnotherPrice({ disabled, onMap }: { disabled: boolean; onMap: (priceId: string) => void }) {
  const form = useForm<PriceToMapInput>({
    resolver: zodResolver(priceToMapInput),
    mode: 'onTouched',
    defaultValues: { priceId: '' },
  });
  return (
    <form
      noValidate
      className="flex flex-wrap items-start gap-2"
      onSubmit={(e) => void form.handleSubmit(({ priceId }) => onMap(priceId))(e)}
    >
      <InputField
        form={form}
        name="priceId"
        id="map-any-price"
        label="Map another price id"
        className="h-8 w-64 font-mono text-xs"
        placeholder="price_…"
        setValueAs={(v) => (typeof v === 'string' ? v.trim() : v)}
      />
      <Button type="submit" size="sm" variant="outline" className="mt-5" disabled={disabled || !form.formState.isValid}>
        Map…
      </Button>
    </form>
  );
}
