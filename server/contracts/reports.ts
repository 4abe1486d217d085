// Report inputs (zod, shared by the procedures, the export route and the web) and export labels.
import { z } from 'zod';

export const EXPORT_KIND_VALUES = ['payments', 'refunds', 'ledger', 'disputes', 'liability'] as const;
export type ExportKindValue = (typeof EXPORT_KIND_VALUES)[number];

export const EXPORT_KIND_LABELS: Record<ExportKindValue, { title: string; description: string }> = {
  payments: {
    title: 'Payments',
    description: 'Every pack and subscription payment created in the range, with its Stripe ids.',
  },
  refunds: {
    title: 'Refunds',
    description: 'Refunds requested in the range: Creditdesk and Stripe dashboard, any status.',
  },
  ledger: {
    title: 'Ledger entries',
    description: 'Every credit movement in the range, with its actor, reason and reference.',
  },
  disputes: { title: 'Disputes', description: 'Disputes opened in the range, with their outcome.' },
  liability: {
    title: 'Credits liability',
    description: 'Per customer, as of now: paid and free credits left, their value, and what expires in 30/60/90 days.',
  },
};

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Write dates as YYYY-MM-DD');

export const reportRangeInput = z
  .object({ from: day, to: day })
  .refine((r) => r.from <= r.to, { message: 'The range ends before it starts', path: ['to'] });
export type ReportRange = z.infer<typeof reportRangeInput>;
