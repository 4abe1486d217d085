import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ResolverOptions } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { catalogResolver, contractProblems } from './draft-resolver';
import { parseNumberText, toDraft, type Draft } from './draft';

const file = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../../prisma/catalog.default.json'), 'utf8'),
);
const options = { fields: {}, shouldUseNativeValidation: undefined } as ResolverOptions<Draft>;

async function problemsOf(draft: Draft) {
  return contractProblems((await catalogResolver(draft, undefined, options)).errors);
}

describe('the catalog editor resolver (the catalog contract on the draft)', () => {
  it('accepts the default catalog', async () => {
    const result = await catalogResolver(toDraft(file), undefined, options);
    expect(result.errors).toEqual({});
  });

  it("names the contract's problems at their paths in the file, the whole catalog's included", async () => {
    const draft = toDraft(file);
    draft.plans[1]!.key = 'Team Plan';
    draft.plans[2]!.monthlyCredits = parseNumberText('1.5');
    draft.creditPacks[1]!.key = draft.creditPacks[0]!.key;
    draft.rules.autoBlockDisputes = 0;
    const problems = await problemsOf(draft);
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'plans[1].key', message: 'use lowercase letters, digits and _ (starting with a letter)' },
        { path: 'plans[2].monthlyCredits', message: 'must be a whole number' },
        { path: 'creditPacks[1].key', message: expect.stringMatching(/^duplicate key/) },
        { path: 'rules.autoBlock.disputes', message: 'must be 1 or more' },
      ]),
    );
  });

  it('keeps several problems at one path', async () => {
    const draft = toDraft(file);
    draft.plans[0]!.key = 'Bad Key';
    draft.plans[1]!.key = 'Bad Key';
    const problems = await problemsOf(draft);
    expect(problems.filter((p) => p.path === 'plans[1].key').map((p) => p.message)).toEqual([
      'use lowercase letters, digits and _ (starting with a letter)',
      'duplicate key "Bad Key" (also plans[0])',
    ]);
  });
});
