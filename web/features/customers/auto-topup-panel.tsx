// Auto top-up for one customer: what is set (a blank field uses the plan's default), whether it is
// paused and why, and a form for support to change it. Saving also resumes paused top-ups (after
// the customer updated their card, or to accept the cap being reached).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { setAutoTopupInput } from '../../../server/contracts/topups.ts';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

const PAUSE_WORDS: Record<string, string> = {
  card_declined: 'the card was declined',
  authentication_required: 'the bank asked the customer to authenticate',
  no_payment_method: 'no saved card',
  monthly_cap: 'the monthly spending cap was reached',
};

const num = (v: string) => (v.trim() === '' ? null : Number(v));

export function AutoTopupPanel({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const current = useQuery(trpc.topups.get.queryOptions({ customerId }));
  const [form, setForm] = useState<{ enabled: boolean; threshold: string; pack: string; cap: string } | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const save = useMutation(
    trpc.topups.set.mutationOptions({
      onSuccess: async () => {
        toast.success('Auto top-up saved');
        setForm(null);
        setReason('');
        await queryClient.invalidateQueries(trpc.topups.pathFilter());
      },
      onError: (err) => setError(describeError(err).message),
    }),
  );
  if (current.isPending) return <SkeletonRows rows={2} />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const s = current.data;
  const f = form ?? {
    enabled: s.enabled,
    threshold: s.thresholdCredits?.toString() ?? '',
    pack: s.packKey ?? '',
    cap: s.monthlyCap?.toString() ?? '',
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Auto top-up</CardTitle>
        <CardDescription>
          Buys a pack with the saved card when usage takes the balance under the threshold. Saving resumes paused
          top-ups.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <div className="flex flex-wrap items-center gap-2 text-sm">
          {s.enabled ? <Badge tone="success">on</Badge> : <Badge tone="neutral">off</Badge>}
          {s.pausedAt && (
            <Badge tone="danger">
              paused <TimeAgo date={s.pausedAt} />: {PAUSE_WORDS[s.pausedReason ?? ''] ?? s.pausedReason}
            </Badge>
          )}
        </div>
        <form
          className="grid gap-3 sm:grid-cols-2"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const parsed = setAutoTopupInput.safeParse({
              customerId,
              enabled: f.enabled,
              thresholdCredits: num(f.threshold),
              packKey: f.pack.trim() || null,
              monthlyCap: num(f.cap),
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
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" checked={f.enabled} onChange={(e) => setForm({ ...f, enabled: e.target.checked })} />
            Enabled
          </label>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="topup-threshold">Threshold (credits)</Label>
            <Input
              id="topup-threshold"
              inputMode="numeric"
              value={f.threshold}
              onChange={(e) => setForm({ ...f, threshold: e.target.value })}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="topup-pack">Pack</Label>
            <Input id="topup-pack" value={f.pack} onChange={(e) => setForm({ ...f, pack: e.target.value })} />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="topup-cap">Monthly cap (minor units)</Label>
            <Input
              id="topup-cap"
              inputMode="numeric"
              value={f.cap}
              onChange={(e) => setForm({ ...f, cap: e.target.value })}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="topup-reason">Reason (audited)</Label>
            <Input id="topup-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          {error && (
            <p role="alert" className="text-sm text-destructive sm:col-span-2">
              {error}
            </p>
          )}
          <div className="sm:col-span-2">
            <Button type="submit" size="sm" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : 'Save auto top-up'}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
