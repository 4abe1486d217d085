// The customer's own credits.low threshold (the outbound event the product hears when the balance
// drops under it). Blank: the plan's default. Audited with a reason.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { setLowBalanceThresholdInput } from '../../../server/contracts/topups.ts';
import { InputField } from '@/components/field';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { numberOrNull } from '@/lib/form-values';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { SettingForm } from './setting-form';

type Values = z.input<typeof setLowBalanceThresholdInput>;

export function LowBalancePanel({ customerId }: { customerId: string }) {
  const trpc = useTRPC();
  const current = useQuery(trpc.topups.lowBalance.queryOptions({ customerId }));
  if (current.isPending) return <SkeletonRows rows={1} />;
  if (current.isError) return <ErrorState error={current.error} onRetry={() => void current.refetch()} />;
  const s = current.data;
  const saved: Values = { customerId, threshold: s.customer, reason: '' };
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
        {/* Starts again from what is saved whenever that changes (after a save). */}
        <LowBalanceForm key={JSON.stringify(saved)} saved={saved} />
      </CardContent>
    </Card>
  );
}

function LowBalanceForm({ saved }: { saved: Values }) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  return (
    <SettingForm
      id="low"
      contract={setLowBalanceThresholdInput}
      saved={saved}
      savedMessage="Low-balance threshold saved"
      submitLabel="Save threshold"
      save={async (input) => {
        await client.topups.setLowBalance.mutate(input);
        await queryClient.invalidateQueries(trpc.topups.lowBalance.queryFilter({ customerId: saved.customerId }));
      }}
    >
      {(form) => (
        <>
          <InputField
            form={form}
            name="threshold"
            id="low-threshold"
            label="Threshold (credits; blank: plan default)"
            inputMode="numeric"
            setValueAs={numberOrNull}
          />
        </>
      )}
    </SettingForm>
  );
}
