// The customer's own credits.low threshold (the outbound event the product hears when the balance
// drops under it). Blank: the plan's default. Audited with a reason.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { setLowBalanceThresholdInput } from '../../../server/contracts/topups.ts';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

export function LowBalancePanel({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.topups.lowBalance.queryOptions({ customerId }));
  const [value, setValue] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.topups.setLowBalance.mutationOptions({
      onSuccess: async () => {
        toast.success('Low-balance threshold saved');
        setValue(null);
        setReason('');
        await queryClient.invalidateQueries(trpc.topups.lowBalance.queryFilter({ customerId }));
      },
      onError: (err) => setError(describeError(err).message),
    }),
  );
  if (current.isPending) return <SkeletonRows rows={1} />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const s = current.data;
  const v = value ?? s.customer?.toString() ?? '';
  return (
    <Card>
      <CardHeader>
        <CardTitle>Low-balance alert</CardTitle>
        <CardDescription>
          The product hears <code>credits.low</code> once each time the balance drops under this. Now:{' '}
          {s.effective == null ? 'never' : `${s.effective.toLocaleString()} credits`}
          {s.customer == null ? ' (plan default)' : ` (plan default: ${s.plan?.toLocaleString() ?? 'none'})`}.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-3 sm:grid-cols-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const parsed = setLowBalanceThresholdInput.safeParse({
              customerId,
              threshold: v.trim() === '' ? null : Number(v),
              reason,
            });
            if (!parsed.success) {
              setError(parsed.error.issues[0]?.message ?? 'Check the fields');
              return;
            }
            setError(null);
            save.mutate(parsed.data);
          }}
        >
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="low-threshold">Threshold (credits; blank: plan default)</Label>
            <Input id="low-threshold" inputMode="numeric" value={v} onChange={(e) => setValue(e.target.value)} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="low-reason">Reason (audited)</Label>
            <Input id="low-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          {error && (
            <p role="alert" className="text-sm text-destructive sm:col-span-2">
              {error}
            </p>
          )}
          <div className="sm:col-span-2">
            <Button type="submit" size="sm" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save threshold'}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
