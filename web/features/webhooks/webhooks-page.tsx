// The webhook monitor: the pipeline's health (events by status, signature failures, the last
// reconciliation), then every stored event (filters in the URL, server pages), the failed and
// deferred queues by cause, and reconciliation runs. The view and its filters live in the URL so
// a link can be pasted into a ticket.
import { Tabs } from 'radix-ui';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/states';
import { EventsTab } from './events-tab';
import { HealthStrip, SIGNATURE_WINDOWS, type SignatureWindow } from './health-strip';
import { QueuesTab } from './queues-tab';
import { ReconciliationTab } from './reconciliation-tab';

const VIEWS = [
  ['events', 'Events'],
  ['queues', 'Failed and deferred'],
  ['reconciliation', 'Reconciliation'],
] as const;
type View = (typeof VIEWS)[number][0];

export function WebhooksPage() {
  const [params, setParams] = useSearchParams();
  const view = (VIEWS.find(([key]) => key === params.get('view'))?.[0] ?? 'events') as View;
  const window = (Object.keys(SIGNATURE_WINDOWS).find((w) => w === params.get('sig')) ?? '24h') as SignatureWindow;
  const set = (changes: Record<string, string | null>, replace = false) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace });
  };

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Webhooks"
        description="Every Stripe event we received, what happened to it, and what still needs a person."
      />
      <HealthStrip
        window={window}
        onWindow={(w) => set({ sig: w === '24h' ? null : w }, true)}
        statusHref={(status) => `/webhooks?status=${status}`}
      />
      <Tabs.Root
        value={view}
        onValueChange={(v) => set({ view: v === 'events' ? null : v }, true)}
        className="flex flex-col gap-4"
      >
        <Tabs.List aria-label="Webhook views" className="flex gap-1 overflow-x-auto border-b">
          {VIEWS.map(([key, label]) => (
            <Tabs.Trigger
              key={key}
              value={key}
              className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-foreground data-[state=active]:font-medium data-[state=active]:text-foreground"
            >
              {label}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        <Tabs.Content value="events" className="outline-none">
          {/* Remounted when the filters in the URL change (a status link above, back/forward). */}
          <EventsTab
            key={['status', 'type', 'customer', 'q', 'from', 'to'].map((k) => params.get(k) ?? '').join('|')}
          />
        </Tabs.Content>
        <Tabs.Content value="queues" className="outline-none">
          <QueuesTab />
        </Tabs.Content>
        <Tabs.Content value="reconciliation" className="outline-none">
          <ReconciliationTab />
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}
