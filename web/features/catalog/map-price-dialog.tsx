// The unknown-price repair, in one dialog: what the price is (name, amount, one-time or
// recurring), what it should sell (a one-time price defaults to a pack, a recurring one to a
// plan; or a new pack made from the price), the dry run of the waiting payments with that
// mapping BEFORE anything is saved, then save + reprocess of the waiting events with progress.
// The waiting events are the ones read when the dialog opened, so nothing drops out mid-flow.
// Opened from a customer's verdict and from the catalog's price list.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { controlProps, Field, FormError } from '@/components/field';
import { ReasonTextarea } from '@/components/reason-textarea';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { DryRunReportView } from '@/features/webhooks/dry-run-report';
import { ReprocessProgress, useInvalidateAfterReprocess, useReprocessRun } from '@/features/webhooks/reprocess-run';
import { RunDialog, RunFooter } from '@/features/webhooks/run-dialog';
import { describeError } from '@/lib/errors';
import { formatCredits, formatMoney } from '@/lib/format';
import { useTRPC, useTRPCClient, type RouterOutputs } from '@/lib/trpc';
import { mapPriceInput, mapPriceTarget } from '../../../server/contracts/catalog-admin.ts';

type FormValues = z.input<typeof mapPriceInput>;
type Target = z.infer<typeof mapPriceTarget>;
type PriceToMap = RouterOutputs['catalogAdmin']['priceToMap'];
type CatalogState = RouterOutputs['catalogAdmin']['state'];

export function MapPriceDialog({
  priceId,
  onClose,
  onDone,
}: {
  /** The price to map; null keeps the dialog closed. */
  priceId: string | null;
  onClose: () => void;
  /**
   * When the dialog closes after a save. Pages are read again only then: the finding or row that
   * opened the dialog would otherwise vanish (the payment is applied) and take the dialog with it.
   */
  onDone?: () => void;
}) {
  const [running, setRunning] = useState(false);
  const [saved, setSaved] = useState(false);
  const invalidate = useInvalidateAfterReprocess();
  const close = () => {
    onClose();
    if (!saved) return;
    setSaved(false);
    void invalidate();
    onDone?.();
  };
  return (
    <RunDialog open={!!priceId} running={running} onClose={close}>
      {priceId && (
        <MapPriceLoader
          key={priceId}
          priceId={priceId}
          onRunning={setRunning}
          onSaved={() => setSaved(true)}
          onClose={close}
        />
      )}
    </RunDialog>
  );
}

function MapPriceLoader(props: {
  priceId: string;
  onRunning: (running: boolean) => void;
  onSaved: () => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const price = useQuery(trpc.catalogAdmin.priceToMap.queryOptions({ priceId: props.priceId }));
  const catalog = useQuery(trpc.catalogAdmin.state.queryOptions());
  // Kept as first read when the dialog opened: a refetch mid-flow (the save invalidates lists)
  // must not change the events it applies or turn the form into "already mapped".
  const [first, setFirst] = useState<{ price: PriceToMap; catalog: CatalogState['catalog'] } | null>(null);
  if (!first && price.data && catalog.data) setFirst({ price: price.data, catalog: catalog.data.catalog });
  if (first) return <MapPriceForm {...props} price={first.price} catalog={first.catalog} />;
  if (price.isError || catalog.isError) {
    const error = price.error ?? catalog.error;
    return (
      <>
        <DialogHeader>
          <DialogTitle>Add {props.priceId} to the catalog</DialogTitle>
          <DialogDescription>The price or the catalog could not be read.</DialogDescription>
        </DialogHeader>
        <ErrorState error={error} onRetry={() => void Promise.all([price.refetch(), catalog.refetch()])} />
      </>
    );
  }
  return (
    <>
      <DialogHeader>
        <DialogTitle>Add {props.priceId} to the catalog</DialogTitle>
        <DialogDescription>Reading the price and the catalog…</DialogDescription>
      </DialogHeader>
      <SkeletonRows rows={4} />
    </>
  );
}

function nameOf(p: PriceToMap): string | null {
  return p.details?.nickname ?? p.details?.productName ?? null;
}

/** "€12.00 one-time" / "€49.00 a month". */
function termsOf(p: PriceToMap): string | null {
  const d = p.details;
  if (d?.unitAmount == null || !d.currency) return null;
  const amount = formatMoney(d.unitAmount, d.currency);
  return d.recurring ? `${amount} a ${d.interval ?? 'period'}` : `${amount} one-time`;
}

/** "Spring promo: 1,500 credits" suggests 1500; only a suggestion the admin sees and can change. */
function creditsIn(name: string | null): number | undefined {
  const m = /(\d[\d,.\s]*)\s*credits/i.exec(name ?? '');
  const n = m ? Number(m[1]!.replace(/[,.\s]/g, '')) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

function defaultTarget(price: PriceToMap, catalog: CatalogState['catalog']): Target {
  const plans = catalog.plans.filter((p) => !p.default);
  if (price.suggestedKind === 'plan' && plans[0]) return { kind: 'plan', key: plans[0].key };
  const name = nameOf(price) ?? '';
  return { kind: 'new_pack', name, credits: creditsIn(name) as number };
}

const targetValue = (t: { kind: string; key?: string }) => (t.kind === 'new_pack' ? 'new_pack' : `${t.kind}:${t.key}`);

/** The value after it stopped changing for a moment: a dry run per pause, not per keystroke. */
function useSettled<T>(value: T, ms = 350): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

function MapPriceForm({
  priceId,
  price,
  catalog,
  onRunning,
  onSaved,
  onClose,
}: {
  priceId: string;
  price: PriceToMap;
  catalog: CatalogState['catalog'];
  onRunning: (running: boolean) => void;
  onSaved: () => void;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const runner = useReprocessRun(onRunning, false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(mapPriceInput),
    defaultValues: { priceId, target: defaultTarget(price, catalog), reason: '' },
  });
  const { errors } = form.formState;
  const target = useWatch({ control: form.control, name: 'target' }) as Target;
  const settled = useSettled(JSON.stringify(target));
  const parsed = mapPriceTarget.safeParse(JSON.parse(settled));
  const current = settled === JSON.stringify(target);
  const waiting = price.waitingEventIds;

  const preview = useQuery({
    queryKey: ['catalogAdmin.previewMapPrice', priceId, settled],
    enabled: parsed.success && !price.mappedTo,
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    queryFn: () => client.catalogAdmin.previewMapPrice.mutate({ priceId, target: parsed.data! }),
  });

  const map = useMutation(
    trpc.catalogAdmin.mapPrice.mutationOptions({
      onSuccess: async (r, values) => {
        setSaved(`${priceId} now sells ${r.owner.kind} ${r.owner.key}`);
        onSaved();
        toast.success(`${priceId} added to the catalog (version ${r.versionNumber})`);
        if (waiting.length) await runner.run(waiting, values.reason.trim());
      },
      onError: (err) => setServerError(describeError(err).message),
    }),
  );

  const name = nameOf(price);
  const terms = termsOf(price);
  const plans = catalog.plans.filter((p) => !p.default);
  const dryRunReady = !!preview.data && current && parsed.success;
  const targetErrors = errors.target as
    { name?: { message?: string }; credits?: { message?: string }; message?: string } | undefined;

  if (price.mappedTo) {
    return (
      <>
        <DialogHeader>
          <DialogTitle>{priceId} is in the catalog</DialogTitle>
          <DialogDescription>
            It sells {price.mappedTo.kind} “{price.mappedTo.name}”.{' '}
            {waiting.length
              ? `${formatCredits(waiting.length)} waiting event(s) only need a reprocess.`
              : 'Nothing waits on it.'}
          </DialogDescription>
        </DialogHeader>
        <DialogFooter>
          <Button type="button" onClick={onClose}>
            Close
          </Button>
        </DialogFooter>
      </>
    );
  }

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) =>
        void form.handleSubmit((values) => {
          if (!dryRunReady || map.isPending || saved) return;
          setServerError(null);
          map.mutate(mapPriceInput.parse(values));
        })(e)
      }
    >
      <DialogHeader>
        <DialogTitle>Add {name ? `“${name}”` : priceId} to the catalog</DialogTitle>
        <DialogDescription>
          <span className="font-mono text-xs">{priceId}</span>
          {terms && ` · ${terms}`} ·{' '}
          {waiting.length
            ? `${formatCredits(waiting.length)} payment${waiting.length === 1 ? '' : 's'} waiting on it`
            : 'no payment waiting on it'}
          . Nothing is saved until you confirm; the dry run shows what the mapping would do first.
        </DialogDescription>
      </DialogHeader>

      {!saved && (
        <>
          <Field
            id="map-target"
            label="Sells"
            hint={
              price.suggestedKind === 'pack'
                ? 'Stripe says this is a one-time price: it sells a credit pack.'
                : price.suggestedKind === 'plan'
                  ? 'Stripe says this is a recurring price: it sells a plan.'
                  : undefined
            }
          >
            <NativeSelect
              id="map-target"
              value={targetValue(target)}
              onChange={(e) => {
                const [kind, key] = e.target.value.split(':') as ['plan' | 'pack' | 'new_pack', string];
                form.setValue(
                  'target',
                  kind === 'new_pack' ? { kind, name: name ?? '', credits: creditsIn(name) as number } : { kind, key },
                );
              }}
            >
              <option value="new_pack">A new credit pack made from this price</option>
              <optgroup label="Credit packs (one-time prices)">
                {catalog.creditPacks.map((p) => (
                  <option key={p.key} value={`pack:${p.key}`}>
                    {p.name} — {formatCredits(p.credits)} credits
                  </option>
                ))}
              </optgroup>
              <optgroup label="Plans (recurring prices)">
                {plans.map((p) => (
                  <option key={p.key} value={`plan:${p.key}`}>
                    {p.name} — {formatCredits(p.monthlyCredits)} credits a month
                  </option>
                ))}
              </optgroup>
            </NativeSelect>
          </Field>
          {target.kind === 'new_pack' && (
            <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
              <Field id="map-pack-name" label="Pack name" error={targetErrors?.name?.message}>
                <Input {...controlProps('map-pack-name', targetErrors?.name)} {...form.register('target.name')} />
              </Field>
              <Field id="map-pack-credits" label="Credits it grants" error={targetErrors?.credits?.message}>
                <Input
                  type="number"
                  inputMode="numeric"
                  step={1}
                  min={1}
                  className="tabular-nums"
                  {...controlProps('map-pack-credits', targetErrors?.credits)}
                  {...form.register('target.credits', { valueAsNumber: true })}
                />
              </Field>
            </div>
          )}

          <section aria-labelledby="map-dry-run" className="flex flex-col gap-2 rounded-md border p-3">
            <h3 id="map-dry-run" className="text-sm font-semibold">
              Dry run — nothing saved yet
            </h3>
            {!parsed.success && (
              <p className="text-sm text-muted-foreground">Choose what it sells to see the dry run.</p>
            )}
            {parsed.success && waiting.length === 0 && preview.data && (
              <p role="status" className="text-sm">
                No payment waits on this price: the mapping only changes what future payments grant.
              </p>
            )}
            {parsed.success && (preview.isFetching || !current) && <SkeletonRows rows={2} />}
            {parsed.success && preview.isError && current && (
              <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
            )}
            {preview.data?.report && current && <DryRunReportView report={preview.data.report} />}
          </section>

          <Field
            id="map-reason"
            label="Reason (recorded with the catalog version and each reprocess)"
            error={errors.reason?.message}
          >
            <ReasonTextarea
              id="map-reason"
              invalid={!!errors.reason}
              placeholder="e.g. spring promo launched by marketing"
              {...form.register('reason')}
            />
          </Field>
          <FormError>{serverError}</FormError>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!dryRunReady || map.isPending}>
              {map.isPending
                ? 'Saving…'
                : waiting.length
                  ? `Save and apply ${formatCredits(waiting.length)} waiting payment${waiting.length === 1 ? '' : 's'}`
                  : 'Save the mapping'}
            </Button>
          </DialogFooter>
        </>
      )}

      {saved && (
        <>
          <p role="status" className="text-sm font-medium">
            Saved: {saved}.
          </p>
          {runner.phase !== 'idle' && <ReprocessProgress state={runner} />}
          <RunFooter runner={runner} onClose={onClose} />
        </>
      )}
    </form>
  );
}
