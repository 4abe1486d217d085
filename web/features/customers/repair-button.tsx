// One-click repairs named by the verdict. Each opens a confirm dialog that restates the effect
// and asks for the reason (audited), then calls the webhook pipeline's own procedure; the page is
// read again so the effect shows in the timeline at once.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { ReasonDialog } from '@/components/reason-dialog';
import { WhoCanUnblock } from '@/components/who-can-unblock';
import { Button } from '@/components/ui/button';
import { MapPriceDialog } from '@/features/catalog/map-price-dialog';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import type { Repair } from '../../../server/contracts/support.ts';
import { useCustomerRefresh } from './use-customer-refresh';
import { plainWords, Words } from './words';
import { unblockCustomerInput } from '../../../server/contracts/blocks.ts';
import { reprocessReason } from '../../../server/contracts/webhooks.ts';

interface Outcome {
  status: string;
  error?: string;
  summary?: string;
}

function report(outcomes: Outcome[]) {
  const failed = outcomes.find((o) => o.status === 'failed' || o.status === 'deferred');
  if (failed) toast.error('Still not applied', { description: failed.error ?? `The event is ${failed.status}` });
  else
    toast.success('Repaired', {
      description:
        outcomes
          .map((o) => o.summary)
          .filter(Boolean)
          .join('; ') || undefined,
    });
}

export function RepairButton({
  repair,
  customerId,
  primary,
  onManualGrant,
}: {
  repair: Repair;
  customerId: string;
  primary?: boolean;
  onManualGrant?: (credits: number) => void;
}) {
  const trpc = useTRPC();
  const me = useStaff();
  const refresh = useCustomerRefresh();
  const [open, setOpen] = useState(false);
  const done = async (outcomes: Outcome[]) => {
    report(outcomes);
    setOpen(false);
    await refresh();
  };
  const options = {
    onSuccess: (r: Outcome | Outcome[]) => done(Array.isArray(r) ? r : [r]),
    onError: (e: unknown) => toastError(e),
  };
  const reprocess = useMutation(trpc.webhooks.reprocess.mutationOptions(options));
  const fetchEvent = useMutation(trpc.webhooks.fetchEvent.mutationOptions(options));
  const link = useMutation(trpc.webhooks.linkCustomer.mutationOptions(options));
  const resync = useMutation(
    trpc.webhooks.resyncSubscription.mutationOptions({
      onSuccess: (r) => done([{ status: 'processed', summary: r.summary }]),
      onError: (e) => toastError(e),
    }),
  );
  const unblock = useMutation(
    trpc.blocks.unblock.mutationOptions({
      onSuccess: () => done([{ status: 'processed', summary: 'The customer is unblocked' }]),
      onError: (e) => toastError(e),
    }),
  );
  const variant = primary ? 'default' : 'outline';

  if (repair.kind === 'map_price') {
    // In place, not a trip to the catalog: the dialog dry-runs the mapping, saves it and applies
    // the waiting payment, and the page is read again when it is done.
    return me.role === 'admin' ? (
      <>
        <Button size="sm" variant={variant} onClick={() => setOpen(true)}>
          <Words text={repair.label} />
        </Button>
        <MapPriceDialog
          priceId={open ? repair.priceId : null}
          onClose={() => setOpen(false)}
          onDone={() => void refresh()}
        />
      </>
    ) : (
      <span className="text-sm text-muted-foreground">
        Only an admin can add a price to the catalog: ask an admin to add {repair.priceId}; the payment is applied in
        the same step.
      </span>
    );
  }
  if (repair.kind === 'unblock' && me.role === 'support') {
    return <WhoCanUnblock where="customer" />;
  }
  if (repair.kind === 'manual_grant') {
    return (
      <Button size="sm" variant={variant} onClick={() => onManualGrant?.(repair.credits)}>
        {repair.label}
      </Button>
    );
  }

  // Event repairs are support's (and admin's); lifting a block is finance's (and admin's).
  const canRepair = repair.kind === 'unblock' ? me.role !== 'support' : me.role === 'support' || me.role === 'admin';
  const pending =
    reprocess.isPending || fetchEvent.isPending || link.isPending || resync.isPending || unblock.isPending;
  const confirm = (reason: string) => {
    switch (repair.kind) {
      case 'reprocess_event':
        return reprocess.mutate({ eventId: repair.eventId, reason });
      case 'fetch_event':
        return fetchEvent.mutate(
          repair.eventId ? { eventId: repair.eventId, reason } : { objectId: repair.objectId, reason },
        );
      case 'link_and_reprocess':
        return link.mutate({ eventId: repair.eventId, customerId, reason });
      case 'resync_subscription':
        return resync.mutate({ subscriptionId: repair.subscriptionId, reason });
      case 'unblock':
        return unblock.mutate({ customerId, reason });
    }
  };
  return (
    <>
      <Button
        size="sm"
        variant={variant}
        disabled={!canRepair}
        title={canRepair ? undefined : 'Repairs on Stripe events are made by support or admin'}
        onClick={() => setOpen(true)}
      >
        {repair.label}
      </Button>
      <ReasonDialog
        open={open}
        onOpenChange={setOpen}
        title={`${repair.label}?`}
        effect={
          <span>
            <Words text={repair.effect} dates="utc" />
          </span>
        }
        confirmLabel={plainWords(repair.label)}
        pending={pending}
        schema={repair.kind === 'unblock' ? unblockCustomerInput.shape.reason : reprocessReason}
        onConfirm={confirm}
      />
    </>
  );
}
