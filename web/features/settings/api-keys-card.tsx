// Service API keys for the product's backend: create one (shown once, with a copy button; only its
// hash is kept), see its name, prefix and last use, revoke it with a reason.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { createApiKeyInput, revokeApiKeyInput } from '../../../server/contracts/api-keys.ts';
import { InputField } from '@/components/field';
import { ReasonDialog } from '@/components/reason-dialog';
import { SecretOnce } from '@/components/secret-once';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toastError } from '@/lib/errors';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';

type ApiKey = RouterOutputs['apiKeys']['list'][number];

export function ApiKeysCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.apiKeys.list.queryOptions());
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.apiKeys.pathFilter());
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: async () => {
        toast.success(`Key “${revoking?.name}” revoked: calls with it are refused from now on`);
        setRevoking(null);
        await refresh();
      },
      onError: (err) => toastError(err),
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle>Service API keys</CardTitle>
          <CardDescription>
            The product’s backend calls /api/v1 with one of these (Authorization: Bearer …) to check access and consume
            credits.
          </CardDescription>
        </div>
        <Button size="sm" onClick={() => setCreating(true)}>
          Create key
        </Button>
      </CardHeader>
      <CardContent>
        {keys.isPending && <SkeletonRows rows={3} />}
        {keys.isError && <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />}
        {keys.data && keys.data.length === 0 && (
          <EmptyState title="No API keys">Create a key for the product’s backend; it is shown once.</EmptyState>
        )}
        {keys.data && keys.data.length > 0 && (
          <Table aria-label="Service API keys">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Status</TableHead>
                <TableHead className="text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {keys.data.map((k) => (
                <TableRow key={k.id}>
                  <TableCell>{k.name}</TableCell>
                  <TableCell className="font-mono text-xs text-muted-foreground">{k.prefix}…</TableCell>
                  <TableCell>
                    <TimeAgo date={k.createdAt} />
                  </TableCell>
                  <TableCell>{k.lastUsedAt ? <TimeAgo date={k.lastUsedAt} /> : 'never'}</TableCell>
                  <TableCell>
                    {k.revokedAt ? <Badge tone="neutral">revoked</Badge> : <Badge tone="success">active</Badge>}
                  </TableCell>
                  <TableCell className="text-right">
                    {!k.revokedAt && (
                      <Button size="sm" variant="outline" onClick={() => setRevoking(k)}>
                        Revoke<span className="sr-only"> {k.name}</span>
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <CreateKeyDialog open={creating} onOpenChange={setCreating} onCreated={refresh} />
      <ReasonDialog
        open={!!revoking}
        onOpenChange={(o) => !o && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”`}
        effect={`Every call with the key ${revoking?.prefix ?? ''}… is refused from now on. The product’s backend needs another key to keep working.`}
        confirmLabel="Revoke key"
        destructive
        pending={revoke.isPending}
        schema={revokeApiKeyInput.shape.reason}
        onConfirm={(reason) => revoking && revoke.mutate({ id: revoking.id, reason })}
      />
    </Card>
  );
}

function CreateKeyDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => Promise<unknown>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open && <CreateKeyForm onClose={() => onOpenChange(false)} onCreated={onCreated} />}
      </DialogContent>
    </Dialog>
  );
}

function CreateKeyForm({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const form = useForm<z.input<typeof createApiKeyInput>, unknown, z.output<typeof createApiKeyInput>>({
    resolver: zodResolver(createApiKeyInput),
    defaultValues: { name: '' },
  });
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async (r) => {
        setCreated({ name: r.apiKey.name, key: r.key });
        await onCreated();
      },
      onError: (err) => toastError(err),
    }),
  );

  if (created) {
    return (
      <SecretOnce
        title={`Key “${created.name}” created`}
        description="Creditdesk keeps only its hash."
        secret={created.key}
        words={{ field: 'The new API key', copy: 'Copy the key', copied: 'Key copied' }}
        onClose={onClose}
      />
    );
  }
  return (
    <form className="flex flex-col gap-4" noValidate onSubmit={form.handleSubmit((input) => create.mutate(input))}>
      <DialogHeader>
        <DialogTitle>Create a service API key</DialogTitle>
        <DialogDescription>Name it after what uses it (e.g. “production backend”).</DialogDescription>
      </DialogHeader>
      <InputField form={form} name="name" id="api-key-name" label="Name" />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </Button>
      </DialogFooter>
    </form>
  );
}
