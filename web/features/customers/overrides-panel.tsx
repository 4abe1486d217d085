// Per-customer overrides and temporary grants: what an admin has given this customer beyond the
// plan (a feature, a value, until when), each with its reason and author, and whether it still
// applies. Admins grant (the dialog restates the effect) and revoke (with a reason); both are
// audited and appear in the timeline. Overrides only add: the most generous source wins.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { PlusIcon } from 'lucide-react';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { controlProps, Field, FormError } from '@/components/field';
import { ReasonDialog } from '@/components/reason-dialog';
import { ReasonTextarea } from '@/components/reason-textarea';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
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
import { StaffName } from '@/components/staff-name';
import { describeError, toastError } from '@/lib/errors';
import { formatCredits, formatUtc } from '@/lib/format';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { revokeOverrideInput, type GrantOverrideInput } from '../../../server/contracts/customers.ts';
import { grantOverrideSchema, overrideValue, untilDate, type GrantOverrideFields } from './grant-override-form';

type Override = RouterOutputs['customers']['overrides'][number];

function valueWords(value: unknown, type: string | undefined): string {
  if (value === true) return type === 'limit' ? 'unlimited' : 'on';
  if (typeof value === 'number') return `limit ${formatCredits(value)}`;
  return String(value);
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.customers.pathFilter()),
      queryClient.invalidateQueries(trpc.support.pathFilter()),
    ]);
}

export function OverridesPanel({ customerId, email }: { customerId: string; email: string }) {
  const trpc = useTRPC();
  const me = useStaff();
  const refresh = useRefresh();
  const overrides = useQuery(trpc.customers.overrides.queryOptions({ customerId }));
  const catalog = useQuery(trpc.catalog.get.queryOptions());
  const [granting, setGranting] = useState(false);
  const [revoking, setRevoking] = useState<Override | null>(null);
  const types = new Map(catalog.data?.features.map((f) => [f.key, f.type]));
  const revoke = useMutation(
    trpc.customers.revokeOverride.mutationOptions({
      onSuccess: async () => {
        toast.success('Override revoked');
        setRevoking(null);
        await refresh();
      },
      onError: (err) => toastError(err),
    }),
  );
  const admin = me.role === 'admin';

  return (
    <Card className="lg:col-span-2">
      <CardHeader className="flex-row items-start justify-between gap-2">
        <div className="flex flex-col gap-1.5">
          <CardTitle className="text-sm">Overrides and temporary grants</CardTitle>
          <p className="text-sm text-muted-foreground">
            Beyond the plan: a permanent override, or a grant that ends at a set time. They only add.
          </p>
        </div>
        {admin && (
          <Button size="sm" variant="outline" onClick={() => setGranting(true)}>
            <PlusIcon aria-hidden /> Grant override
          </Button>
        )}
      </CardHeader>
      <CardContent>
        {overrides.isPending && <SkeletonRows rows={3} />}
        {overrides.isError && <ErrorState error={overrides.error} onRetry={() => void overrides.refetch()} />}
        {overrides.data && overrides.data.length === 0 && (
          <EmptyState title="No overrides">
            {admin
              ? 'Grant a feature beyond the plan, for good or until a date (a trial, an apology).'
              : 'Admins can grant a feature beyond the plan, for good or until a date.'}
          </EmptyState>
        )}
        {overrides.data && overrides.data.length > 0 && (
          <Table aria-label="Overrides and temporary grants">
            <TableHeader>
              <TableRow>
                <TableHead>Feature</TableHead>
                <TableHead>Value</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Until</TableHead>
                <TableHead>State</TableHead>
                <TableHead>Reason</TableHead>
                <TableHead>Granted</TableHead>
                {admin && (
                  <TableHead className="text-right">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {overrides.data.map((o) => (
                <TableRow key={o.id}>
                  <TableCell className="font-mono text-xs">{o.feature}</TableCell>
                  <TableCell>{valueWords(o.value, types.get(o.feature))}</TableCell>
                  <TableCell>{o.expiresAt ? 'temporary grant' : 'permanent'}</TableCell>
                  <TableCell>{o.expiresAt ? <TimeAgo date={o.expiresAt} /> : '—'}</TableCell>
                  <TableCell>
                    {o.revokedAt ? (
                      <Badge tone="neutral">revoked</Badge>
                    ) : o.active ? (
                      <Badge tone="success">active</Badge>
                    ) : (
                      <Badge tone="neutral">ended</Badge>
                    )}
                  </TableCell>
                  <TableCell className="max-w-xs truncate" title={o.reason}>
                    {o.reason}
                  </TableCell>
                  <TableCell className="text-muted-foreground">
                    <TimeAgo date={o.createdAt} /> by <StaffName id={o.createdBy} />
                  </TableCell>
                  {admin && (
                    <TableCell className="text-right">
                      {o.active && (
                        <Button size="sm" variant="outline" onClick={() => setRevoking(o)}>
                          Revoke {o.feature}
                        </Button>
                      )}
                    </TableCell>
                  )}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <GrantOverrideDialog
        open={granting}
        onOpenChange={setGranting}
        customerId={customerId}
        email={email}
        features={catalog.data?.features ?? []}
        onDone={refresh}
      />
      <ReasonDialog
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke ${revoking?.feature ?? ''}`}
        effect={`${email} loses ${revoking?.feature} (${valueWords(revoking?.value, types.get(revoking?.feature ?? ''))}) from this override now; the plan still applies.`}
        confirmLabel="Revoke"
        destructive
        pending={revoke.isPending}
        schema={revokeOverrideInput.shape.reason}
        onConfirm={(reason) => revoking && revoke.mutate({ overrideId: revoking.id, reason })}
      />
    </Card>
  );
}

function GrantOverrideDialog({
  open,
  onOpenChange,
  customerId,
  email,
  features,
  onDone,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  customerId: string;
  email: string;
  features: Array<{ key: string; name: string; type: 'boolean' | 'limit' }>;
  onDone: () => Promise<unknown>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open && (
          <GrantForm
            customerId={customerId}
            email={email}
            features={features}
            onClose={() => onOpenChange(false)}
            onDone={onDone}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function GrantForm({
  customerId,
  email,
  features,
  onClose,
  onDone,
}: {
  customerId: string;
  email: string;
  features: Array<{ key: string; name: string; type: 'boolean' | 'limit' }>;
  onClose: () => void;
  onDone: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const [error, setError] = useState<string | null>(null);
  const [openedAt] = useState(() => Date.now());
  const form = useForm<GrantOverrideFields, unknown, GrantOverrideInput>({
    resolver: zodResolver(grantOverrideSchema(features, openedAt)),
    mode: 'onTouched',
    defaultValues: { customerId, feature: features[0]?.key ?? '', limit: '', unlimited: false, until: '', reason: '' },
  });
  const { errors } = form.formState;
  const [featureKey, limit, unlimited, until] = useWatch({
    control: form.control,
    name: ['feature', 'limit', 'unlimited', 'until'],
  });
  const feature = features.find((f) => f.key === featureKey);
  const isLimit = feature?.type === 'limit';
  const value = overrideValue(feature, { limit, unlimited });
  const expiresAt = untilDate(until);
  const validUntil = !expiresAt || (!Number.isNaN(expiresAt.getTime()) && expiresAt.getTime() > openedAt);
  const grant = useMutation(
    trpc.customers.grantOverride.mutationOptions({
      onSuccess: async () => {
        toast.success(`${feature?.name ?? featureKey} granted to ${email}`);
        await onDone();
        onClose();
      },
      onError: (err) => setError(describeError(err).message),
    }),
  );
  const effect = feature
    ? `${email} gets ${feature.name} (${value === true ? (isLimit ? 'unlimited' : 'on') : value === null ? '…' : `limit ${formatCredits(value)}`}) ${
        expiresAt && validUntil ? `until ${formatUtc(expiresAt)}` : 'permanently, until revoked'
      }. If the plan already gives more, the plan's value stays.`
    : 'Choose a feature.';

  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        if (!grant.isPending) grant.mutate(input);
      })}
    >
      <DialogHeader>
        <DialogTitle>Grant an override</DialogTitle>
        <DialogDescription>{effect}</DialogDescription>
      </DialogHeader>
      <Field id="override-feature" label="Feature" error={errors.feature?.message}>
        <NativeSelect id="override-feature" {...form.register('feature')}>
          {features.map((f) => (
            <option key={f.key} value={f.key}>
              {f.name} ({f.type === 'limit' ? 'limit' : 'on/off'})
            </option>
          ))}
        </NativeSelect>
      </Field>
      {isLimit && (
        <div className="flex flex-wrap items-end gap-3">
          <Field id="override-limit" label="Limit" error={errors.limit?.message}>
            <Input
              inputMode="numeric"
              className="h-8 w-28 tabular-nums"
              disabled={unlimited}
              {...controlProps('override-limit', errors.limit)}
              {...form.register('limit')}
            />
          </Field>
          <Label className="mb-2 font-normal">
            <input type="checkbox" className="size-4 accent-primary" {...form.register('unlimited')} />
            Unlimited
          </Label>
        </div>
      )}
      <Field
        id="override-until"
        label="Until (your local time; empty: permanent)"
        error={errors.until?.message ?? (validUntil ? undefined : 'A temporary grant must end in the future.')}
      >
        <Input
          type="datetime-local"
          className="h-8 w-60"
          {...controlProps('override-until', errors.until ?? !validUntil)}
          {...form.register('until')}
        />
      </Field>
      <Field id="override-reason" label="Reason (recorded in the audit log)" error={errors.reason?.message}>
        <ReasonTextarea id="override-reason" invalid={!!errors.reason} {...form.register('reason')} />
      </Field>
      <FormError>{error}</FormError>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={!form.formState.isValid || grant.isPending}>
          {grant.isPending ? 'Granting…' : expiresAt ? 'Grant until then' : 'Grant override'}
        </Button>
      </DialogFooter>
    </form>
  );
}
