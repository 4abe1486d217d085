// Exports nothing imports: production files' exported values that no other file (test or not)
// imports by name, through `export *`/`import *`, or through a dynamic `import()`. An export is a
// promise that someone uses it; one nobody uses is dead code or a second home waiting to drift.
// architecture.test.ts fails on any; to list them: npx tsx test/architecture/unused-exports.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { ROOT, readImportGraph, type Edge } from './import-graph.ts';
import { isProduction } from './layering.ts';

/** Files something outside the graph loads by path (entry points); their exports are not for imports. */
const ENTRY_POINTS = new Set(['server/index.ts', 'scripts/db-migrate.ts', 'web/main.tsx']);
/** Surfaces kept whole on purpose: the published client, and the shadcn-style UI kit's primitives. */
const KITS = ['client/src/', 'web/components/ui/'];
/** Exports kept although nothing imports them yet, each with its reason. Keep this list short. */
export const ALLOWED: Record<string, string> = {
  'web/components/data-table/data-table-row-actions.tsx: DataTableRowActions':
    "the list kit's row-actions piece (columns / toolbar / pagination / row actions, issue 17.5): " +
    'the "…" menu for a list whose rows get more actions than fit as buttons',
};

/**
 * Exported values (functions, constants, classes; not types: a type in an exported signature is
 * part of that signature).
 */
function exportedNames(file: string, text: string): string[] {
  const source = ts.createSourceFile(
    file,
    text,
    ts.ScriptTarget.Latest,
    true,
    file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const names: string[] = [];
  for (const stmt of source.statements) {
    const exported =
      ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    const isDefault =
      ts.canHaveModifiers(stmt) && ts.getModifiers(stmt)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (exported && isDefault) names.push('default');
    else if (exported && ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) if (ts.isIdentifier(d.name)) names.push(d.name.text);
    } else if (
      exported &&
      (ts.isFunctionDeclaration(stmt) || ts.isClassDeclaration(stmt) || ts.isEnumDeclaration(stmt))
    ) {
      if (stmt.name) names.push(stmt.name.text);
    } else if (
      ts.isExportDeclaration(stmt) &&
      !stmt.isTypeOnly &&
      !stmt.moduleSpecifier &&
      stmt.exportClause &&
      ts.isNamedExports(stmt.exportClause)
    ) {
      for (const el of stmt.exportClause.elements) if (!el.isTypeOnly) names.push(el.name.text);
    } else if (ts.isExportAssignment(stmt)) names.push('default');
  }
  return names;
}

export interface UnusedExport {
  file: string;
  name: string;
}

export function unusedExports(
  edges: Edge[] = readImportGraph(),
  root = ROOT,
  allowed: Record<string, string> = ALLOWED,
): UnusedExport[] {
  const used = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.from === e.to) continue;
    const set = used.get(e.to) ?? new Set<string>();
    for (const n of e.names) set.add(n);
    used.set(e.to, set);
  }
  const files = [...new Set(edges.map((e) => e.from))].filter(
    (f) => isProduction(f) && !ENTRY_POINTS.has(f) && !KITS.some((k) => f.startsWith(k)),
  );
  const out: UnusedExport[] = [];
  for (const file of files.sort()) {
    const names = used.get(file);
    if (names?.has('*')) continue;
    for (const name of exportedNames(file, readFileSync(path.join(root, file), 'utf8'))) {
      if (!names?.has(name) && !(`${file}: ${name}` in allowed)) out.push({ file, name });
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const found = unusedExports();
  for (const u of found) console.log(`${u.file}: ${u.name}`);
  console.log(found.length ? `${found.length} exported value(s) nothing imports` : 'no unused exports');
  process.exit(found.length ? 1 : 0);
}
