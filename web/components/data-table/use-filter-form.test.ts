import { describe, expect, it } from 'vitest';
import { listAuditLogInput } from '../../../server/contracts/support.ts';
import { searchEventsInput } from '../../../server/contracts/webhooks-admin.ts';
import { filterResolver } from './use-filter-form';

// Resolver options as react-hook-form passes them (no native validation, no field refs).
const options = { fields: {}, shouldUseNativeValidation: undefined } as never;
const AUDIT = ['actor', 'customerId', 'from', 'to'] as const;

describe("a list's filter form, checked by the list procedure's contract", () => {
  it('takes blank filters as unset and keeps the text as typed', async () => {
    const values = { actor: ' system ', customerId: '', from: '2026-12-01', to: '' };
    const result = await filterResolver(listAuditLogInput, AUDIT)(values, undefined, options);
    expect(result).toEqual({ values, errors: {} });
  });

  it("refuses what the procedure would refuse, with the contract's words, under the field", async () => {
    const values = { actor: '', customerId: 'ada@example.com', from: 'not a day', to: '' };
    const { errors } = await filterResolver(listAuditLogInput, AUDIT)(values, undefined, options);
    expect(errors.customerId?.message).toBe('Not a customer id');
    expect(errors.from).toBeDefined();
    expect(errors.actor).toBeUndefined();
  });

  it('checks only the fields the form has', async () => {
    const values = { status: 'nope', search: 'evt_1' };
    const { errors } = await filterResolver(searchEventsInput, ['status', 'search'] as const)(
      values,
      undefined,
      options,
    );
    expect(Object.keys(errors)).toEqual(['status']);
  });
});
