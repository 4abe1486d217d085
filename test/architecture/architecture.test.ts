// Keeps the picture of docs/ARCHITECTURE.md true: the import graph (static, dynamic and type-only
// imports) has no arrow the layering forbids, no comment points at a file that is gone, and no
// exported value goes unused.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadCommentReferences } from './comment-paths.ts';
import { edgesOf, readImportGraph, type Edge } from './import-graph.ts';
import { brokenRules, EMULATOR_LOADER } from './layering.ts';
import { ALLOWED, unusedExports } from './unused-exports.ts';

const graph = readImportGraph();
const edge = (from: string, to: string, kind: Edge['kind'] = 'static'): Edge => ({ from, to, kind, names: ['x'] });

describe('the import graph', () => {
  it('is read from the repository, dynamic imports included', () => {
    const has = (from: string, to: string, kind: Edge['kind']) =>
      graph.some((e) => e.from === from && e.to === to && e.kind === kind);
    expect(graph.length).toBeGreaterThan(1000);
    expect(has('server/stripe/client.ts', EMULATOR_LOADER, 'static')).toBe(true);
    expect(has(EMULATOR_LOADER, 'emulator/index.ts', 'dynamic')).toBe(true);
    expect(has('web/main.tsx', 'react-dom', 'static') || has('web/main.tsx', 'react-dom/client', 'static')).toBe(true);
  });

  it('has no arrow the layering forbids', () => {
    const broken = graph.flatMap((e) => brokenRules(e).map((rule) => `${e.from} -> ${e.to} (${e.kind}): ${rule}`));
    expect(broken).toEqual([]);
  });
});

describe('the layering rules', () => {
  const cases: Array<[string, Edge, boolean]> = [
    ['a module importing a tRPC router', edge('server/modules/ledger/grant-credits.ts', 'server/trpc/init.ts'), true],
    ['a module importing fastify', edge('server/modules/blocks/record-block.ts', 'fastify', 'type'), true],
    [
      'a module importing the service API',
      edge('server/modules/refunds/list-refunds.ts', 'server/api/errors.ts'),
      true,
    ],
    ['a module test driving the app', edge('server/modules/refunds/refund.test.ts', 'server/app.ts'), false],
    ['a module importing the database', edge('server/modules/ledger/post-entry.ts', 'server/db/tx.ts'), false],
    [
      'the web importing a server module',
      edge('web/features/catalog/draft.test.ts', 'server/modules/catalog/x.ts'),
      true,
    ],
    ['the web importing Prisma', edge('web/lib/format.ts', '@prisma/client'), true],
    ['the web importing the database', edge('web/lib/format.ts', 'server/db/client.ts', 'type'), true],
    ['the web importing a contract', edge('web/features/catalog/draft.ts', 'server/contracts/catalog.ts'), false],
    ['the web importing the AppRouter type', edge('web/lib/trpc.ts', 'server/trpc/router.ts', 'type'), false],
    ['the web importing the router at run time', edge('web/lib/trpc.ts', 'server/trpc/router.ts'), true],
    ['production importing the emulator', edge('server/stripe/client.ts', 'emulator/index.ts', 'dynamic'), true],
    [
      'the seed importing the emulator type',
      edge('server/seed/demo-stripe-kit.ts', 'emulator/driver.ts', 'type'),
      true,
    ],
    ['the dev loader loading the emulator', edge(EMULATOR_LOADER, 'emulator/index.ts', 'dynamic'), false],
    ['the dev loader importing it statically', edge(EMULATOR_LOADER, 'emulator/index.ts', 'static'), true],
    ['a test using the emulator', edge('server/stripe/emulator-e2e.test.ts', 'emulator/driver.ts'), false],
    ['a contract importing a module', edge('server/contracts/ledger.ts', 'server/modules/ledger/x.ts'), true],
    ['a contract importing prisma', edge('server/contracts/ledger.ts', '@prisma/client', 'type'), true],
    ['a contract importing zod', edge('server/contracts/ledger.ts', 'zod'), false],
    ['the wire transformer importing superjson', edge('server/contracts/superjson-setup.ts', 'superjson'), false],
  ];
  it.each(cases)('%s: forbidden = %s', (_label, e, forbidden) => {
    expect(brokenRules(e).length > 0).toBe(forbidden);
  });

  it('catches a forbidden dynamic import written in source', () => {
    const exists = (p: string) => p === 'emulator/index.ts' || p === 'server/trpc/init.ts';
    const edges = edgesOf(
      'server/modules/billing/x.ts',
      "import type { T } from '../../trpc/init.ts';\nexport const f = async () => (await import('../../../emulator/index.ts')).x;",
      exists,
    );
    expect(edges.map((e) => [e.to, e.kind])).toEqual([
      ['server/trpc/init.ts', 'type'],
      ['emulator/index.ts', 'dynamic'],
    ]);
    expect(edges.flatMap(brokenRules)).toHaveLength(2);
  });
});

describe('one picture, no dead ends', () => {
  it('no comment points at a file that does not exist', () => {
    expect(deadCommentReferences()).toEqual([]);
  });

  it('finds a bare file name that names no file, and passes one that does', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'comment-paths-'));
    mkdirSync(path.join(root, 'server'));
    writeFileSync(path.join(root, 'server/a.ts'), '// see b.ts and gone-away.ts; each list has its columns.tsx\n');
    writeFileSync(path.join(root, 'server/b.ts'), 'export {};\n');
    expect(deadCommentReferences(root)).toEqual([{ file: 'server/a.ts', reference: 'gone-away.ts' }]);
  });
});

describe('no export nobody uses', () => {
  it('every exported value of production code is imported somewhere (or allowed, with a reason)', () => {
    expect(unusedExports(graph).map((u) => `${u.file}: ${u.name}`)).toEqual([]);
  });

  it('finds an export nothing imports, and counts a named import as a use', () => {
    const found = unusedExports([
      { from: 'server/lib/keyset-cursor.ts', to: 'server/lib/app-error.ts', kind: 'static', names: ['AppError'] },
      { from: 'server/jobs/wake.ts', to: 'server/lib/keyset-cursor.ts', kind: 'static', names: ['decodeKeyset'] },
    ]).map((u) => `${u.file}: ${u.name}`);
    expect(found).toContain('server/lib/keyset-cursor.ts: pageOf');
    expect(found).not.toContain('server/lib/keyset-cursor.ts: decodeKeyset');
  });

  it('allows only entries that are still exported and still unused', () => {
    const withoutAllowances = unusedExports(graph, undefined, {}).map((u) => `${u.file}: ${u.name}`);
    for (const key of Object.keys(ALLOWED)) expect(withoutAllowances).toContain(key);
  });
});
