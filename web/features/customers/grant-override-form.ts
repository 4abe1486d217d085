// The override grant form's values and its resolver. The form holds what the admin types (a limit
// as text, an "unlimited" tick, a local date-time); the schema turns that into the procedure's own
// input and then checks it with the procedure's contract, so the rules (reason length, a whole,
// non-negative limit) live in one place.
import { z } from 'zod';
import { grantOverrideInput } from '../../../server/contracts/customers.ts';

export interface OverrideFeature {
  key: string;
  name: string;
  type: 'boolean' | 'limit';
}

const grantOverrideFields = z.object({
  customerId: grantOverrideInput.shape.customerId,
  feature: grantOverrideInput.shape.feature,
  limit: z.string(),
  unlimited: z.boolean(),
  /** datetime-local: the admin's local time; the grant stores the instant. Empty: permanent. */
  until: z.string(),
  reason: grantOverrideInput.shape.reason,
});
export type GrantOverrideFields = z.input<typeof grantOverrideFields>;

/** The value a form grants: on, unlimited, or the typed limit (null while it is not a number). */
export function overrideValue(
  feature: OverrideFeature | undefined,
  v: Pick<GrantOverrideFields, 'limit' | 'unlimited'>,
) {
  if (feature?.type !== 'limit' || v.unlimited) return true as const;
  return /^\d+$/.test(v.limit.trim()) ? Number(v.limit.trim()) : null;
}

export function untilDate(until: string): Date | null {
  return until ? new Date(until) : null;
}

/** `openedAt`: "in the future" as of opening the dialog; the server checks again when granting. */
export function grantOverrideSchema(features: OverrideFeature[], openedAt: number) {
  return grantOverrideFields
    .superRefine((v, ctx) => {
      const feature = features.find((f) => f.key === v.feature);
      if (!feature) ctx.addIssue({ code: 'custom', path: ['feature'], message: 'Choose a feature' });
      if (overrideValue(feature, v) === null) {
        ctx.addIssue({ code: 'custom', path: ['limit'], message: 'Enter a whole number, or tick Unlimited' });
      }
      const until = untilDate(v.until);
      if (until && (Number.isNaN(until.getTime()) || until.getTime() <= openedAt)) {
        ctx.addIssue({ code: 'custom', path: ['until'], message: 'A temporary grant must end in the future.' });
      }
    })
    .transform((v, ctx) => {
      const checked = grantOverrideInput.safeParse({
        customerId: v.customerId,
        feature: v.feature,
        value: overrideValue(
          features.find((f) => f.key === v.feature),
          v,
        ),
        expiresAt: untilDate(v.until),
        reason: v.reason,
      });
      if (checked.success) return checked.data;
      // The contract's fields are named for the procedure; the form shows them on its own fields.
      const fieldOf: Record<string, string> = { value: 'limit', expiresAt: 'until' };
      for (const issue of checked.error.issues) {
        const [first, ...rest] = issue.path.map(String);
        ctx.addIssue({ code: 'custom', message: issue.message, path: [fieldOf[first ?? ''] ?? first ?? '', ...rest] });
      }
      return z.NEVER;
    });
}
