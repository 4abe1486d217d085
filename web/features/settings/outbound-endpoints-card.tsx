// Outbound events: the endpoints of the product's backend that Creditdesk tells what changed
// (signed webhooks). Add one (secret shown once), send a test event, read its delivery log,
// enable/disable, rotate the secret, delete. An endpoint disabled after 3 days of failures shows
// a banner with the reason until an admin re-enables it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
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
import { toastError } from '@/lib/errors';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { CreateEndpointDialog, EndpointSecretOnce } from './create-endpoint-dialog';
import { EndpointDeliveries } from './endpoint-deliveries';

type Endpoint = RouterOutputs['outbound']['listEndpoints'][number];

export function OutboundEndpointsCard() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const endpoints = useQuery(trpc.outbound.listEndpoints.queryOptions());
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; url: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.outbound.pathFilter());
  const done = (message: string) => async () => {
    toast.success(message);
    await refresh();
  };
  const sendTest = useMutation(
    trpc.outbound.sendTest.mutationOptions({
      onSuccess: done('Test event queued: it shows in the delivery log within a few seconds'),
      onError: (e) => toastError(e),
    }),
  );
  const setEnabled = useMutation(
    trpc.outbound.setEndpointEnabled.mutationOptions({
      onSuccess: done('Endpoint updated'),
      onError: (e) => toastError(e),
    }),
  );
  const rotate = useMutation(
    trpc.outbound.rotateSecret.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.secret);
        await refresh();
      },
      onError: (e) => toastError(e),
    }),
  );
  const remove = useMutation(
    trpc.outbound.deleteEndpoint.mutationOptions({
      onSuccess: done('Endpoint deleted'),
      onError: (e) => toastError(e),
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle>Outbound events</CardTitle>
          <CardDescription>
            Creditdesk tells the product’s backend what changed (credits granted or low, entitlements, blocks, refunds,
            top-ups…) with signed POSTs, retried for 3 days.
          </CardDescription>
        </div>
        <Button size="sm" onClick={() => setCreating(true)}>
          Add endpoint
        </Button>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        {endpoints.isPending && <SkeletonRows rows={2} />}
        {endpoints.isError && <ErrorState error={endpoints.error} onRetry={() => void endpoints.refetch()} />}
        {endpoints.data?.length === 0 && (
          <EmptyState title="No endpoints">Add the URL of your backend’s webhook receiver.</EmptyState>
        )}
        {endpoints.data?.map((e: Endpoint) => (
          <div key={e.id} className="flex flex-col gap-3 rounded-md border p-3" aria-label={`Endpoint ${e.url}`}>
            {!e.enabled && e.disabledReason && (
              <div role="alert" className="rounded-md border border-destructive/30 bg-destructive/10 p-2 text-sm">
                Disabled
                {e.disabledAt ? (
                  <>
                    {' '}
                    <TimeAgo date={e.disabledAt} />
                  </>
                ) : null}
                : {e.disabledReason}. Fix the endpoint, then enable it; deliveries resume.
              </div>
            )}
            <div className="flex flex-wrap items-start justify-between gap-2">
              <div className="flex min-w-0 flex-col gap-1">
                <div className="font-mono text-sm break-all">{e.url}</div>
                <div className="text-xs text-muted-foreground">
                  {e.description || 'No description'} · {e.eventTypes.length ? e.eventTypes.join(', ') : 'every event'}{' '}
                  · secret <span className="font-mono">{e.secretHint}</span>
                </div>
                <div className="flex gap-1">
                  {e.enabled ? <Badge tone="success">enabled</Badge> : <Badge tone="danger">disabled</Badge>}
                  {e.counts.retrying ? <Badge tone="warning">{e.counts.retrying} retrying</Badge> : null}
                  {e.counts.failed ? <Badge tone="danger">{e.counts.failed} failed</Badge> : null}
                </div>
              </div>
              <div className="flex flex-wrap gap-2">
                <Button size="sm" variant="outline" onClick={() => sendTest.mutate({ id: e.id })}>
                  Send test event
                </Button>
                <Button size="sm" variant="outline" onClick={() => setOpen(open === e.id ? null : e.id)}>
                  {open === e.id ? 'Hide deliveries' : 'Deliveries'}
                </Button>
                <Button
                  size="sm"
                  variant="outline"
                  onClick={() => setEnabled.mutate({ id: e.id, enabled: !e.enabled })}
                >
                  {e.enabled ? 'Disable' : 'Enable'}
                </Button>
                <Button size="sm" variant="outline" onClick={() => rotate.mutate({ id: e.id })}>
                  Rotate secret
                </Button>
                <Button size="sm" variant="outline" onClick={() => setDeleting({ id: e.id, url: e.url })}>
                  Delete
                </Button>
              </div>
            </div>
            {open === e.id && <EndpointDeliveries endpointId={e.id} />}
          </div>
        ))}
      </CardContent>
      <CreateEndpointDialog open={creating} onOpenChange={setCreating} onCreated={refresh} />
      <Dialog open={!!deleting} onOpenChange={(o) => !o && setDeleting(null)}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Delete this endpoint?</DialogTitle>
            <DialogDescription>
              <span className="font-mono break-all">{deleting?.url}</span> and its delivery log are deleted; the product
              hears nothing more there. This cannot be undone.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              disabled={remove.isPending}
              onClick={() => deleting && remove.mutate({ id: deleting.id }, { onSettled: () => setDeleting(null) })}
            >
              {remove.isPending ? 'Deleting…' : 'Delete endpoint'}
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
      <Dialog open={!!secret} onOpenChange={(o) => !o && setSecret(null)}>
        <DialogContent>
          {secret && <EndpointSecretOnce secret={secret} onClose={() => setSecret(null)} />}
        </DialogContent>
      </Dialog>
    </Card>
  );
}
