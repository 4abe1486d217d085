// The Stripe price mapping helper: prices Stripe has told us about (in events, in failures, in the
// Stripe account) that the catalog does not map, with the failed events waiting on each. "Map"
// adds the price to a plan or pack (a new catalog version) and then offers to reprocess the
// waiting events, dry run first. `?price=` (from a customer's verdict) opens the mapping at once.
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { CopyId } from '@/components/copy-id';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { Textarea } from '@/components/ui/textarea';
import { ReprocessDialog } from '@/features/webhooks/reprocess-dialog';
import { describeError } from '@/lib/errors';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import type { CatalogEditor } from './use-catalog-editor';

type Unmapped = RouterOutputs['catalogAdmin']['unmappedPrices']['items'][number];

function describePrice(p: Unmapped): string {
  const d = p.details;
  if (!d) return '—';
  const amount = d.unitAmount !== null && d.currency ? formatMoney(d.unitAmount, d.currency) : null;
  return [d.nickname, amount && (d.interval ? `${amount} / ${d.interval}` : `${amount} once`), d.product]
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
  const [mapping, setMapping] = useState<{ priceId: string; suggested: 'plan' | 'pack' | null } | null>(null);
  const [typed, setTyped] = useState('');
  const [reprocess, setReprocess] = useState<string[] | null>(null);
  // A price named in the URL opens the mapping dialog once.
  const [handled, setHandled] = useState<string | null>(null);
  if (requestedPrice && handled !== requestedPrice && !editor.dirty) {
    setHandled(requestedPrice);
    setMapping({
      priceId: requestedPrice,
      suggested: list.data?.items.find((p) => p.priceId === requestedPrice)?.suggestedKind ?? null,
    });
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
                  <Button
                    size="sm"
                    disabled={editor.dirty}
                    onClick={() => setMapping({ priceId: p.priceId, suggested: p.suggestedKind })}
                  >
                    Map {p.priceId}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          if (/^price_[A-Za-z0-9_]+$/.test(typed.trim())) setMapping({ priceId: typed.trim(), suggested: null });
        }}
      >
        <div className="flex flex-col gap-1">
          <Label htmlFor="map-any-price">Map another price id</Label>
          <Input
            id="map-any-price"
            className="h-8 w-64 font-mono text-xs"
            placeholder="price_…"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
        </div>
        <Button
          type="submit"
          size="sm"
          variant="outline"
          disabled={editor.dirty || !/^price_[A-Za-z0-9_]+$/.test(typed.trim())}
        >
          Map…
        </Button>
      </form>
      <MapPriceDialog
        editor={editor}
        mapping={mapping}
        onClose={() => {
          setMapping(null);
          onRequestHandled();
        }}
        onMapped={(waiting) => {
          void list.refetch();
          if (waiting.length && canReprocess) setReprocess(waiting);
        }}
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

function MapPriceDialog({
  editor,
  mapping,
  onClose,
  onMapped,
}: {
  editor: CatalogEditor;
  mapping: { priceId: string; suggested: 'plan' | 'pack' | null } | null;
  onClose: () => void;
  onMapped: (waitingEventIds: string[]) => void;
}) {
  return (
    <Dialog open={!!mapping} onOpenChange={(o) => !o && onClose()}>
      <DialogContent>
        {mapping && (
          <MapPriceForm key={mapping.priceId} editor={editor} mapping={mapping} onClose={onClose} onMapped={onMapped} />
        )}
      </DialogContent>
    </Dialog>
  );
}

function MapPriceForm({
  editor,
  mapping,
  onClose,
  onMapped,
}: {
  editor: CatalogEditor;
  mapping: { priceId: string; suggested: 'plan' | 'pack' | null };
  onClose: () => void;
  onMapped: (waitingEventIds: string[]) => void;
}) {
  const trpc = useTRPC();
  const saved = editor.saved;
  const plans = saved?.plans.filter((p) => !p.default) ?? [];
  const packs = saved?.creditPacks ?? [];
  const first =
    mapping.suggested === 'pack'
      ? packs[0] && `pack:${packs[0].key}`
      : plans[0]
        ? `plan:${plans[0].key}`
        : packs[0] && `pack:${packs[0].key}`;
  const [target, setTarget] = useState(first ?? '');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const map = useMutation(
    trpc.catalogAdmin.mapPrice.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`${mapping.priceId} mapped (catalog version #${r.version})`);
        await editor.reload();
        onClose();
        onMapped(r.waitingEventIds);
      },
      onError: (err) => setError(describeError(err).message),
    }),
  );
  const [kind, key] = target.split(':') as ['plan' | 'pack', string];
  const valid = !!key && reason.trim().length >= 3;
  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid && !map.isPending) map.mutate({ priceId: mapping.priceId, kind, key, reason: reason.trim() });
      }}
    >
      <DialogHeader>
        <DialogTitle>Map {mapping.priceId}</DialogTitle>
        <DialogDescription>
          Checkouts and invoices with this price will grant what the chosen plan or pack grants. The change is saved as
          a new catalog version (restorable).
        </DialogDescription>
      </DialogHeader>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="map-target">Sells</Label>
        <NativeSelect id="map-target" value={target} onChange={(e) => setTarget(e.target.value)}>
          <optgroup label="Plans (recurring prices)">
            {plans.map((p) => (
              <option key={p.key} value={`plan:${p.key}`}>
                {p.name} — {formatCredits(p.monthlyCredits)} credits a month
              </option>
            ))}
          </optgroup>
          <optgroup label="Credit packs (one-time prices)">
            {packs.map((p) => (
              <option key={p.key} value={`pack:${p.key}`}>
                {p.name} — {formatCredits(p.credits)} credits
              </option>
            ))}
          </optgroup>
        </NativeSelect>
        {mapping.suggested && (
          <p className="text-xs text-muted-foreground">
            Stripe says this price is {mapping.suggested === 'plan' ? 'recurring: a plan' : 'one-time: a credit pack'}.
          </p>
        )}
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="map-reason">Reason (recorded with the version)</Label>
        <Textarea
          id="map-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
      </div>
      {error && (
        <p role="alert" className="text-sm text-destructive">
          {error}
        </p>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={!valid || map.isPending}>
          {map.isPending ? 'Mapping…' : 'Map price'}
        </Button>
      </DialogFooter>
    </form>
  );
}
