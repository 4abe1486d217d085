// The "Refund" action on a payment row, for finance and admin (the server refuses everyone else).
import { UndoIcon } from 'lucide-react';
import { useState } from 'react';
import { useStaff } from '@/app/session';
import { Button } from '@/components/ui/button';
import { isOneOf, REFUNDABLE_PAYMENT_STATUSES } from '../../../server/contracts/statuses.ts';
import { RefundDialog } from './refund-dialog';

export function RefundButton({
  paymentId,
  status,
  onDone,
}: {
  paymentId: string;
  status: string;
  onDone?: () => void | Promise<unknown>;
}) {
  const me = useStaff();
  const [open, setOpen] = useState(false);
  if (me.role === 'support' || !isOneOf(REFUNDABLE_PAYMENT_STATUSES, status)) return null;
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)}>
        <UndoIcon aria-hidden /> Refund
      </Button>
      <RefundDialog paymentId={paymentId} open={open} onOpenChange={setOpen} onDone={onDone} />
    </>
  );
}
