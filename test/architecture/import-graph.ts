// The project's import graph, read with the TypeScript parser (no type checking, so it is fast):
// every static import/export-from, every dynamic `import()` and every type-only import, resolved
// to a repository path (or a package name). The architecture test checks layering rules on it;
// scripts can use it to find exports nothing imports.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** Folders whose TypeScript belongs to the graph (generated code and build output are not ours). */
export const SOURCE_DIRS = ['server', 'web', 'emulator', 'client/src', 'scripts', 'test', 'e2e', 'bench'];
const SKIP = new Set(['node_modules', 'generated', 'dist']);

/** `static`: a runtime import; `dynamic`: `import()`; `type`: erased at compile time. */
export type EdgeKind = 'static' | 'dynamic' | 'type';

export interface Edge {
  /** Repository-relative path of the importing file, with forward slashes. */
  from: string;
  /** Repository-relative path of the imported file, or the package name for a bare specifier. */
  to: string;
  kind: EdgeKind;
  /** Names imported (`*` for a namespace import or `export *`; empty for a side-effect import). */
  names: string[];
}

function listSources(dir: string, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (SKIP.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) listSources(full, out);
    else if (/\.(ts|tsx|mts)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(full);
  }
}

export function sourceFiles(root = ROOT): string[] {
  const out: string[] = [];
  for (const dir of SOURCE_DIRS) listSources(path.join(root, dir), out);
  return out.map((f) => path.relative(root, f).split(path.sep).join('/')).sort();
}

function packageOf(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** Resolves a specifier the way tsconfig's `bundler` resolution and the `@/*` alias do. */
export function resolveSpecifier(from: string, spec: string, exists: (p: string) => boolean): string {
  let base: string;
  if (spec.startsWith('.')) base = path.posix.join(path.posix.dirname(from), spec);
  else if (spec.startsWith('@/')) base = path.posix.join('web', spec.slice(2));
  else return packageOf(spec);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`];
  return candidates.find(exists) ?? base;
}

function namesOf(clause: ts.ImportClause | undefined): string[] {
  if (!clause) return [];
  const names: string[] = [];
  if (clause.name) names.push('default');
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) names.push('*');
  if (bindings && ts.isNamedImports(bindings)) {
    for (const el of bindings.elements) names.push((el.propertyName ?? el.name).text);
  }
  return names;
}

/** The edges of one file's source text. */
export function edgesOf(from: string, text: string, exists: (p: string) => boolean): Edge[] {
  const source = ts.createSourceFile(
    from,
    text,
    ts.ScriptTarget.Latest,
    true,
    from.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const edges: Edge[] = [];
  const add = (spec: string, kind: EdgeKind, names: string[]) =>
    edges.push({ from, to: resolveSpecifier(from, spec, exists), kind, names });

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((el) => el.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'static', namesOf(clause));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.exportClause;
      const names = !clause
        ? ['*']
        : ts.isNamedExports(clause)
          ? clause.elements.map((el) => (el.propertyName ?? el.name).text)
          : ['*'];
      const typeOnly =
        node.isTypeOnly || (!!clause && ts.isNamedExports(clause) && clause.elements.every((el) => el.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'static', names);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, 'dynamic', ['*']);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, 'type', [
        node.qualifier ? (ts.isIdentifier(node.qualifier) ? node.qualifier.text : '*') : '*',
      ]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Every edge from every source file of the repository. */
export function readImportGraph(root = ROOT): Edge[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  const exists = (p: string) => known.has(p);
  return files.flatMap((file) => edgesOf(file, readFileSync(path.join(root, file), 'utf8'), exists));
}
