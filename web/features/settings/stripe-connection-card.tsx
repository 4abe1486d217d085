// The Stripe connection as Stripe reports it now: real or emulator, test or live, which account,
// the webhook endpoint pointed at us (enabled, disabled or missing), signing secrets, and when a
// webhook last arrived (issue 16: Settings shows what it promises).
import { useQuery } from '@tanstack/react-query';
import { CopyId } from '@/components/copy-id';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { useTRPC } from '@/lib/trpc';

const MODE_WORDS = {
  emulator: { label: 'Emulator', tone: 'warning' },
  test: { label: 'Test mode', tone: 'warning' },
  live: { label: 'Live', tone: 'success' },
  unconfigured: { label: 'Not configured', tone: 'danger' },
} as const;

const ENDPOINT_WORDS = {
  enabled: { label: 'enabled', tone: 'success' },
  disabled: { label: 'disabled', tone: 'danger' },
  missing: { label: 'missing', tone: 'danger' },
  unknown: { label: 'not checked', tone: 'neutral' },
} as const;

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[12rem_1fr]">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}

export function StripeConnectionCard() {
  const trpc = useTRPC();
  const status = useQuery(trpc.system.stripeStatus.queryOptions());
  return (
    <Card data-testid="stripe-connection">
      <CardHeader>
        <CardTitle>Stripe connection</CardTitle>
        <CardDescription>Asked of Stripe when this page opened.</CardDescription>
      </CardHeader>
      <CardContent>
        {status.isPending && <SkeletonRows rows={3} />}
        {status.isError && <ErrorState error={status.error} onRetry={() => void status.refetch()} />}
        {status.data && (
          <dl className="flex flex-col gap-2 text-sm">
            <Row label="Mode">
              <Badge tone={MODE_WORDS[status.data.mode].tone}>{MODE_WORDS[status.data.mode].label}</Badge>
            </Row>
            <Row label="Account">
              {status.data.account.id ? (
                <>
                  {status.data.account.name ?? 'unnamed'} <CopyId value={status.data.account.id} />
                </>
              ) : null}
              {status.data.account.note && <span className="text-muted-foreground">{status.data.account.note}</span>}
            </Row>
            <Row label="Webhook endpoint">
              <span className="flex flex-wrap items-center gap-2">
                <Badge tone={ENDPOINT_WORDS[status.data.webhook.endpointStatus].tone}>
                  {ENDPOINT_WORDS[status.data.webhook.endpointStatus].label}
                </Badge>
                <span className="font-mono text-xs break-all">{status.data.webhook.url}</span>
                {status.data.webhook.endpointId && <CopyId value={status.data.webhook.endpointId} />}
              </span>
              {status.data.webhook.enabledEvents.length > 0 && (
                <span className="block text-xs text-muted-foreground">
                  Events: {status.data.webhook.enabledEvents.join(', ')}
                </span>
              )}
              {status.data.webhook.note && (
                <span role="status" className="block text-muted-foreground">
                  {status.data.webhook.note}
                </span>
              )}
            </Row>
            <Row label="Signing secrets">{status.data.webhook.signingSecrets}</Row>
            <Row label="Last webhook received">
              {status.data.webhook.lastReceivedAt ? <TimeAgo date={status.data.webhook.lastReceivedAt} /> : 'never'}
            </Row>
          </dl>
        )}
      </CardContent>
    </Card>
  );
}
