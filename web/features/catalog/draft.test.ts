import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateCatalog } from '../../../server/contracts/validate-catalog.ts';
import {
  fieldId,
  isLoadable,
  majorToMinor,
  minorToMajor,
  parseNumberText,
  ProblemIndex,
  tabOfPath,
  toCatalogJson,
  toDraft,
} from './draft';

const file = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../prisma/catalog.default.json'), 'utf8'),
);

describe('catalog draft', () => {
  it('round-trips the catalog file: the draft of a file is that file again', () => {
    const json = toCatalogJson(toDraft(file)) as typeof file;
    expect(validateCatalog(json).ok).toBe(true);
    // The export format spells out defaults (default: false), as the draft does.
    expect(json.plans).toEqual(file.plans.map((p: object) => ({ default: false, ...p })));
    expect(json.rules).toEqual(file.rules);
    expect(json.features.map((f: { key: string }) => f.key)).toEqual(file.features.map((f: { key: string }) => f.key));
  });

  it('keeps what was typed so the server names the problem at the field path', () => {
    const draft = toDraft(file);
    draft.plans[1]!.monthlyCredits = parseNumberText('1.5');
    draft.creditPacks[0]!.credits = parseNumberText('');
    draft.features[0]!.creditCost = parseNumberText('lots');
    const result = validateCatalog(toCatalogJson(draft));
    expect(result.ok).toBe(false);
    const paths = result.ok ? [] : result.problems.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining(['plans[1].monthlyCredits', 'creditPacks[0].credits', 'features[0].creditCost']),
    );
    // An empty optional number is left out, not sent as null.
    draft.features[0]!.creditCost = null;
    expect((toCatalogJson(draft) as typeof file).features[0]).not.toHaveProperty('creditCost');
  });

  it('money in major units becomes integer minor units without float rounding', () => {
    expect(majorToMinor('100', 'eur')).toBe(10000);
    expect(majorToMinor('0.29', 'eur')).toBe(29);
    expect(majorToMinor('19.9', 'usd')).toBe(1990);
    expect(majorToMinor('1200', 'jpy')).toBe(1200);
    expect(majorToMinor('1.5', 'jpy')).toBe('1.5');
    // The same parser as refunds (server/contracts/money.ts): a comma is a decimal mark too.
    expect(majorToMinor('19,9', 'usd')).toBe(1990);
    expect(majorToMinor('-3', 'eur')).toBe('-3');
    expect(majorToMinor('', 'eur')).toBeNull();
    expect(minorToMajor(10050, 'eur')).toBe('100.50');
    expect(minorToMajor(1200, 'jpy')).toBe('1200');
  });

  it('maps problem paths to tabs, fields and rows', () => {
    const index = new ProblemIndex([
      { path: 'plans[1].stripePriceIds[0]', message: 'duplicate' },
      { path: 'plans[1].stripePriceIds', message: 'empty' },
      { path: 'rules.autoBlock.disputes', message: 'must be 1 or more' },
    ]);
    expect(index.under('plans[1].stripePriceIds')).toEqual(['[0]: duplicate', 'empty']);
    expect(index.at('rules.autoBlock.disputes')).toEqual(['must be 1 or more']);
    expect(index.count('plans')).toBe(2);
    expect(tabOfPath('creditPacks[0].credits')).toBe('packs');
    expect(tabOfPath('plans')).toBe('plans');
    expect(fieldId('plans[1].entitlements.video_generation')).toBe('cf-plans-1-entitlements-video_generation');
  });

  it('loads only files with the lists the editor needs', () => {
    expect(isLoadable(file)).toBe(true);
    expect(isLoadable({ features: [], plans: 'nope', creditPacks: [] })).toBe(false);
    expect(isLoadable({ features: [], plans: [{ key: 'x' }], creditPacks: [] })).toBe(false);
    expect(isLoadable(null)).toBe(false);
  });
});
