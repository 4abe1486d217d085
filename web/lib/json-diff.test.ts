import { describe, expect, it } from 'vitest';
import { jsonDiff } from './json-diff';

describe('jsonDiff (issue 16: the audit record shows a diff)', () => {
  it('lists changed, added and removed paths, matching keyed arrays by key', () => {
    const before = {
      plans: [
        { key: 'free', monthlyCredits: 100 },
        { key: 'pro', monthlyCredits: 1000, name: 'Pro' },
      ],
      rules: { gracePeriodDays: 3, refundPolicy: 'old' },
    };
    const after = {
      plans: [
        { key: 'team', monthlyCredits: 3000 },
        { key: 'free', monthlyCredits: 100 },
        { key: 'pro', monthlyCredits: 1200, name: 'Pro' },
      ],
      rules: { gracePeriodDays: 3, refundPolicy: 'new', radarBlockList: true },
    };
    expect(jsonDiff(before, after)).toEqual([
      { path: 'plans[pro].monthlyCredits', kind: 'changed', before: 1000, after: 1200 },
      { path: 'plans[team]', kind: 'added', after: { key: 'team', monthlyCredits: 3000 } },
      { path: 'rules.refundPolicy', kind: 'changed', before: 'old', after: 'new' },
      { path: 'rules.radarBlockList', kind: 'added', after: true },
    ]);
  });

  it('treats a missing side as empty, compares plain arrays by index, and stops at the limit', () => {
    expect(jsonDiff(null, { status: 'paid' })).toEqual([{ path: 'status', kind: 'added', after: 'paid' }]);
    expect(jsonDiff({ a: [1, 2] }, { a: [1] })).toEqual([{ path: 'a[1]', kind: 'removed', before: 2 }]);
    expect(jsonDiff({ a: 1 }, { a: 1 })).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
    expect(jsonDiff({}, many, 3)).toHaveLength(3);
  });
});
