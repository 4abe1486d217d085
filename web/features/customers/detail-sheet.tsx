// The raw side of a timeline item, for when words are not enough: the event payload, the ledger
// entry, the audit record, with its delivery and processing steps and its Stripe chain.
import { XIcon } from 'lucide-react';
import { Dialog as DialogPrimitive } from 'radix-ui';
import { CopyId } from '@/components/copy-id';
import { Badge } from '@/components/ui/badge';
import { formatCredits, formatMoney, formatUtc } from '@/lib/format';
import type { TimelineItem } from '../../../server/contracts/support.ts';
import { ToneBadge } from './customer-badges';
import { Words } from './words';

export function DetailSheet({ item, onClose }: { item: TimelineItem | null; onClose: () => void }) {
  return (
    <DialogPrimitive.Root open={!!item} onOpenChange={(open) => !open && onClose()}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="fixed inset-0 z-50 bg-black/40 data-[state=open]:animate-in data-[state=open]:fade-in-0" />
        <DialogPrimitive.Content className="fixed inset-y-0 right-0 z-50 flex w-full max-w-2xl flex-col gap-4 overflow-y-auto border-l bg-background p-6 shadow-lg data-[state=open]:animate-in data-[state=open]:slide-in-from-right">
          {item && (
            <>
              <div className="flex items-start justify-between gap-3 pr-8">
                <div className="flex flex-col gap-1">
                  <DialogPrimitive.Title className="font-mono text-base font-semibold break-all">
                    <Words text={item.title} dates="utc" />
                  </DialogPrimitive.Title>
                  <DialogPrimitive.Description className="text-sm text-muted-foreground">
                    {item.summary ? <Words text={item.summary} dates="utc" /> : 'No further words recorded.'}
                  </DialogPrimitive.Description>
                </div>
                {item.status && <ToneBadge tone={item.tone}>{item.status}</ToneBadge>}
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
                <dt className="text-muted-foreground">When</dt>
                <dd>{formatUtc(item.shownAt ?? item.at)}</dd>
                <dt className="text-muted-foreground">Id</dt>
                <dd>
                  <CopyId value={item.id} />
                </dd>
                {item.credits != null && (
                  <>
                    <dt className="text-muted-foreground">Credits</dt>
                    <dd className="tabular-nums">
                      {item.credits > 0 ? `+${formatCredits(item.credits)}` : formatCredits(item.credits)}
                    </dd>
                  </>
                )}
                {item.amount && (
                  <>
                    <dt className="text-muted-foreground">Amount</dt>
                    <dd className="tabular-nums">{formatMoney(item.amount.minor, item.amount.currency)}</dd>
                  </>
                )}
                {item.stripeIds.length > 0 && (
                  <>
                    <dt className="text-muted-foreground">Stripe objects</dt>
                    <dd className="flex flex-col gap-0.5">
                      {item.stripeIds.map((id) => (
                        <span key={id} className="flex items-center gap-2">
                          <CopyId value={id} />
                          {id === item.chain && <Badge tone="outline">chain</Badge>}
                        </span>
                      ))}
                    </dd>
                  </>
                )}
              </dl>
              {item.steps.length > 0 && (
                <section aria-label="Deliveries and processing">
                  <h3 className="mb-2 text-sm font-medium">Deliveries and processing</h3>
                  <ol className="flex flex-col gap-2 border-l pl-4 text-sm">
                    {item.steps.map((s, i) => (
                      <li key={i} className="flex flex-col">
                        <span className="flex items-center gap-2">
                          <ToneBadge tone={s.tone}>{s.label}</ToneBadge>
                          <span className="text-xs text-muted-foreground">{formatUtc(s.at)}</span>
                        </span>
                        {s.detail && <span className="mt-0.5 text-muted-foreground">{s.detail}</span>}
                      </li>
                    ))}
                  </ol>
                </section>
              )}
              <section aria-label="Raw record" className="flex min-h-0 flex-col gap-2">
                <div className="flex items-center justify-between">
                  <h3 className="text-sm font-medium">Raw record</h3>
                  <button
                    type="button"
                    className="rounded border px-2 py-0.5 text-xs hover:bg-accent focus-visible:ring-2 focus-visible:ring-ring outline-none"
                    onClick={() => void navigator.clipboard?.writeText(JSON.stringify(item.raw, null, 2))}
                  >
                    Copy JSON
                  </button>
                </div>
                <pre
                  className="max-h-[50vh] overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs leading-relaxed"
                  tabIndex={0}
                >
                  {JSON.stringify(item.raw, null, 2)}
                </pre>
              </section>
              <DialogPrimitive.Close className="absolute top-4 right-4 rounded-xs opacity-70 hover:opacity-100 focus-visible:ring-2 focus-visible:ring-ring">
                <XIcon className="size-4" />
                <span className="sr-only">Close</span>
              </DialogPrimitive.Close>
            </>
          )}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
