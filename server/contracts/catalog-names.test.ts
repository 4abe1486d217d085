import { describe, expect, it } from 'vitest';
import { boughtWords, packName, packWords, planName, planWords, type CatalogNames } from './catalog-names.ts';

// A plan and a pack may share a key: each lookup says which it means.
const names: CatalogNames = {
  plans: { starter: 'Starter', pro: 'Pro' },
  packs: { starter: 'Starter pack', pack_1000: '1,000 credits' },
};

describe('plans and packs by name (issue 16)', () => {
  it('names a plan or a pack, each in its own name space', () => {
    expect(planName(names, 'starter')).toBe('Starter');
    expect(packName(names, 'starter')).toBe('Starter pack');
    expect(planWords(names, 'pro')).toBe('plan "Pro"');
    expect(packWords(names, 'pack_1000')).toBe('credit pack "1,000 credits"');
  });

  it('names every pack of a purchase of several', () => {
    expect(packName(names, 'pack_1000,starter')).toBe('1,000 credits + Starter pack');
    expect(packWords(names, 'pack_1000,starter')).toBe('credit pack "1,000 credits" + "Starter pack"');
  });

  it('falls back to the key, unquoted, only when the catalog no longer has it', () => {
    expect(planName(names, 'legacy')).toBe('legacy');
    expect(planWords(names, 'legacy')).toBe('plan legacy');
    expect(packWords(names, 'pack_1000,gone')).toBe('credit pack "1,000 credits" + gone');
  });

  it('says what a payment bought by its kind', () => {
    expect(boughtWords(names, { kind: 'pack', catalogKey: 'starter' })).toBe('credit pack "Starter pack"');
    expect(boughtWords(names, { kind: 'subscription', catalogKey: 'starter' })).toBe('plan "Starter"');
    expect(boughtWords(names, { kind: 'pack', catalogKey: null })).toBeNull();
  });
});
