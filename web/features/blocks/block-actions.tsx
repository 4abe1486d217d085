// Block and unblock, each behind a confirm dialog that restates the effect and asks for the
// reason (audited). Support and admin block; finance and admin unblock: the buttons follow the
// server's tiers, so nobody is offered an action the server will refuse.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BanIcon, UnlockIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { ReasonDialog } from '@/components/reason-dialog';
import { Button } from '@/components/ui/button';
import { WhoCanUnblock } from '@/components/who-can-unblock';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { blockCustomerInput, unblockCustomerInput } from '../../../server/contracts/blocks.ts';

interface Target {
  id: string;
  email: string;
  name?: string | null;
  status: string;
  blockedReason?: string | null;
}

function useRefreshAfterBlock() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.blocks.pathFilter()),
      queryClient.invalidateQueries(trpc.support.pathFilter()),
      queryClient.invalidateQueries(trpc.disputes.pathFilter()),
    ]);
}

function radarWords(r: { status: string; items: unknown[]; error: string | null } | null): string {
  if (!r) return '';
  return r.status === 'done'
    ? ` Radar block list: ${r.items.length} item(s).`
    : ` Radar block list: ${r.error ?? r.status}.`;
}

export function BlockActions({ customer, size = 'sm' }: { customer: Target; size?: 'sm' | 'default' }) {
  const trpc = useTRPC();
  const me = useStaff();
  const refresh = useRefreshAfterBlock();
  const [open, setOpen] = useState<'block' | 'unblock' | null>(null);
  const who = customer.name ? `${customer.name} (${customer.email})` : customer.email;
  const block = useMutation(
    trpc.blocks.block.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Blocked ${customer.email}.${radarWords(r.radar)}`);
        setOpen(null);
        await refresh();
      },
      onError: (e) => toastError(e, 'Not blocked'),
    }),
  );
  const unblock = useMutation(
    trpc.blocks.unblock.mutationOptions({
      onSuccess: async (r) => {
        toast.success(`Unblocked ${customer.email}.${radarWords(r.radar)}`);
        setOpen(null);
        await refresh();
      },
      onError: (e) => toastError(e, 'Not unblocked'),
    }),
  );

  if (customer.status === 'blocked') {
    const canUnblock = me.role === 'finance' || me.role === 'admin';
    // No disabled button as a dead end: say who can, by name (issue 16).
    if (!canUnblock) return <WhoCanUnblock where="blocks" compact />;
    return (
      <>
        <Button
          size={size}
          variant="outline"
          disabled={!canUnblock}
          title={canUnblock ? undefined : 'Unblocking needs the finance or admin role'}
          onClick={() => setOpen('unblock')}
        >
          <UnlockIcon aria-hidden /> Unblock
        </Button>
        <ReasonDialog
          open={open === 'unblock'}
          onOpenChange={(o) => setOpen(o ? 'unblock' : null)}
          title={`Unblock ${customer.email}?`}
          effect={
            <span>
              {who} gets their plan’s features back and can use credits and buy again. Blocked because: “
              {customer.blockedReason ?? 'no reason recorded'}”. Items the block added to the Stripe Radar block list
              are removed.
            </span>
          }
          confirmLabel="Unblock customer"
          pending={unblock.isPending}
          schema={unblockCustomerInput.shape.reason}
          onConfirm={(reason) => unblock.mutate({ customerId: customer.id, reason })}
        />
      </>
    );
  }
  if (me.role !== 'support' && me.role !== 'admin') return null;
  return (
    <>
      <Button size={size} variant="outline" className="text-destructive" onClick={() => setOpen('block')}>
        <BanIcon aria-hidden /> Block
      </Button>
      <ReasonDialog
        open={open === 'block'}
        onOpenChange={(o) => setOpen(o ? 'block' : null)}
        title={`Block ${customer.email}?`}
        effect={
          <span>
            {who} loses every feature at once: the product’s access checks and usage answer “blocked” and new checkout
            sessions are refused. Their credits stay in the ledger. Only finance or admin can unblock. When the Radar
            setting is on, their email and card fingerprints go on Stripe’s block lists.
          </span>
        }
        confirmLabel="Block customer"
        destructive
        pending={block.isPending}
        schema={blockCustomerInput.shape.reason}
        onConfirm={(reason) => block.mutate({ customerId: customer.id, reason })}
      />
    </>
  );
}
