import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { cn } from '@/lib/utils';

/** A Stripe or Creditdesk id: monospace, copyable in one click. */
export function CopyId({ value, className }: { value: string; className?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className={cn('inline-flex items-center gap-1 font-mono text-xs', className)}>
      <span className="truncate">{value}</span>
      <button
        type="button"
        aria-label={`Copy ${value}`}
        className="rounded p-0.5 text-muted-foreground hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring"
        onClick={() => {
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          });
        }}
      >
        {copied ? <CheckIcon className="size-3" /> : <CopyIcon className="size-3" />}
      </button>
    </span>
  );
}
