import { describe, expect, it } from 'vitest';
import { numberOrNull, textOrNull } from '../../web/lib/form-values.ts';
import { setAutoTopupInput, setLowBalanceThresholdInput } from './topups.ts';

const customerId = '5b0d6a4e-8a0e-4d0e-9b7a-2f4f3c1d9e11';

/** The first problem per field, as the staff forms show them under their fields. */
function problems(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  const byField: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) byField[String(issue.path[0])] ??= issue.message;
  return byField;
}

describe('auto top-up and low-balance inputs (the staff forms validate with these contracts)', () => {
  it('takes blank fields as the plan default and typed numbers as numbers', () => {
    const parsed = setAutoTopupInput.parse({
      customerId,
      enabled: true,
      thresholdCredits: numberOrNull('500'),
      packKey: textOrNull(' pack_1000 '),
      monthlyCap: numberOrNull('  '),
      reason: '  customer asked  ',
    });
    expect(parsed).toEqual({
      customerId,
      enabled: true,
      thresholdCredits: 500,
      packKey: 'pack_1000',
      monthlyCap: null,
      reason: 'customer asked',
    });
    expect(
      setLowBalanceThresholdInput.parse({ customerId, threshold: numberOrNull(''), reason: 'plan default' }),
    ).toEqual({ customerId, threshold: null, reason: 'plan default' });
  });

  it('says what is wrong with each field in words, text that is not a number included', () => {
    const topup = setAutoTopupInput.safeParse({
      customerId,
      enabled: true,
      thresholdCredits: numberOrNull('five hundred'),
      packKey: textOrNull('p'.repeat(65)),
      monthlyCap: numberOrNull('-1'),
      reason: 'ok',
    });
    expect(problems(topup)).toEqual({
      thresholdCredits: 'must be a whole number',
      packKey: 'A pack key is at most 64 characters',
      monthlyCap: 'must not be negative',
      reason: 'Say why (at least 3 characters)',
    });
    const low = setLowBalanceThresholdInput.safeParse({ customerId, threshold: numberOrNull('12.5'), reason: 'why' });
    expect(problems(low)).toEqual({ threshold: 'must be a whole number' });
  });
});
