import { cva, type VariantProps } from 'class-variance-authority';
import * as React from 'react';
import { cn } from '@/lib/utils';

// One status vocabulary everywhere: red = money lost or action needed, amber = waiting,
// green = settled, neutral = informational.
const badgeVariants = cva(
  'inline-flex items-center gap-1 rounded-md border px-2 py-0.5 text-xs font-medium whitespace-nowrap',
  {
    variants: {
      tone: {
        neutral: 'bg-secondary text-secondary-foreground border-transparent',
        success: 'border-success/30 text-success bg-success/10',
        warning: 'border-warning/40 text-warning bg-warning/10',
        danger: 'border-destructive/30 text-destructive bg-destructive/10',
        outline: 'text-foreground',
      },
    },
    defaultVariants: { tone: 'neutral' },
  },
);

export function Badge({
  className,
  tone,
  ...props
}: React.ComponentProps<'span'> & VariantProps<typeof badgeVariants>) {
  return <span data-slot="badge" className={cn(badgeVariants({ tone }), className)} {...props} />;
}
