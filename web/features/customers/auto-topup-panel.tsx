// Auto top-up for one customer: what is set (a blank field uses the plan's default), whether it is
// paused and why, and a form for support to change it. Saving also resumes paused top-ups (after
// the customer updated their card, or to accept the cap being reached).
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { setAutoTopupInput } from '../../../server/contracts/topups.ts';
import { InputField } from '@/components/field';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { numberOrNull, textOrNull } from '@/lib/form-values';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { SettingForm } from './setting-form';

type Values = z.input<typeof setAutoTopupInput>;

const PAUSE_WORDS: Record<string, string> = {
  card_declined: 'the card was declined',
  authentication_required: 'the bank asked the customer to authenticate',
  no_payment_method: 'no saved card',
  monthly_cap: 'the monthly spending cap was reached',
};

export function AutoTopupPanel({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const current = useQuery(trpc.topups.get.queryOptions({ customerId }));
  if (current.isPending) return <SkeletonRows rows={2} />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const s = current.data;
  const saved: Values = {
    customerId,
    enabled: s.enabled,
    thresholdCredits: s.thresholdCredits,
    packKey: s.packKey,
    monthlyCap: s.monthlyCap,
    reason: '',
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
        {/* Starts again from what is saved whenever that changes (after a save). */}
        <AutoTopupForm key={JSON.stringify(saved)} saved={saved} />
      </CardContent>
    </Card>
  );
}

function AutoTopupForm({ saved }: { saved: Values }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return (
    <SettingForm
      id="topup"
      contract={setAutoTopupInput}
      saved={saved}
      savedMessage="Auto top-up saved"
      submitLabel="Save auto top-up"
      save={async (input) => {
        await client.topups.set.mutate(input);
        await queryClient.invalidateQueries(trpc.topups.pathFilter());
      }}
    >
      {(form) => (
        <>
          <label className="flex items-center gap-2 text-sm sm:col-span-2">
            <input type="checkbox" {...form.register('enabled')} />
            Enabled
          </label>
          <InputField
            form={form}
            name="thresholdCredits"
            id="topup-threshold"
            label="Threshold (credits)"
            inputMode="numeric"
            setValueAs={numberOrNull}
          />
          <InputField form={form} name="packKey" id="topup-pack" label="Pack" setValueAs={textOrNull} />
          <InputField
            form={form}
            name="monthlyCap"
            id="topup-cap"
            label="Monthly cap (minor units)"
            inputMode="numeric"
            setValueAs={numberOrNull}
          />
        </>
      )}
    </SettingForm>
  );
}
