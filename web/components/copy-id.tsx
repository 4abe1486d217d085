import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { cn } from '@/lib/utils';

/**
 * A long id cut in the middle, where ids differ least: "cs_test_a1B2…9xYz" keeps the prefix that
 * says what it is and the tail people compare. Short ids are shown whole.
 */
export function shortId(id: string, head = 12, tail = 6): string {
  return id.length <= head + tail + 1 ? id : `${id.slice(0, head)}…${id.slice(-tail)}`;
}

/**
 * A Stripe or Creditdesk id: monospace, cut in the middle when long (the whole id on hover and for
 * screen readers), copied in one click on the id or its icon.
 */
export function CopyId({ value, className, full }: { value: string; className?: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  const shown = full ? value : shortId(value);
  return (
    <button
      type="button"
      title={`${value} (click to copy)`}
      aria-label={`Copy ${value}`}
      className={cn(
        'inline-flex max-w-full items-center gap-1 rounded font-mono text-xs whitespace-nowrap outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring',
        className,
      )}
      onClick={() => {
        void navigator.clipboard?.writeText(value).then(() => {
          setCopied(true);
          setTimeout(() => setCopied(false), 1200);
        });
      }}
    >
      <span className="truncate" aria-hidden>
        {shown}
      </span>
      {copied ? (
        <CheckIcon className="size-3 shrink-0 text-muted-foreground" aria-hidden />
      ) : (
        <CopyIcon className="size-3 shrink-0 text-muted-foreground" aria-hidden />
      )}
    </button>
  );
}
