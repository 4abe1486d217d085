// File paths named in comments ("see modules/ledger/post-entry.ts") that no longer exist: a
// comment that points nowhere misleads more than no comment. A path counts as found when it
// exists from the repository root, from the commenting file's folder or from a top-level source
// folder; a bare file name ("see post-entry.ts") when a file of that name exists
// anywhere in the repository, unless it names a convention or a placeholder (CONVENTIONS).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sourceFiles } from './import-graph.ts';

/** Documents outside this repository (../shared/) and placeholders that are not paths. */
const EXTERNAL = new Set(['PRODUCT.md', 'TOOLCHAIN.md', 'UI.md', 'file.json']);
/** Bare names that stand for a kind of file, not one file. */
const CONVENTIONS = new Set(['columns.tsx', 'catalog.json', 'mine.json']);
const BASES = ['server', 'web', 'emulator', 'prisma', 'scripts', 'docs', 'test', 'e2e', 'client'];
const COMMENT = /(?:^|\s)(?:\/\/|\/\*+|\*)[^\n]*/g;
const PATH = /(?<![\w/.-])([\w.-]+(?:\/[\w.-]+)*\.(?:ts|tsx|sql|md|json|mjs))(?![\w-])(?!\.\w)/g;

export interface DeadReference {
  file: string;
  reference: string;
}

/** Every file name in the folders a comment can point into (source, prisma, docs, the root). */
function fileNames(root: string, files: string[]): Set<string> {
  const names = new Set(files.map((f) => path.posix.basename(f)));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else names.add(entry.name);
    }
  };
  for (const dir of ['prisma', 'docs']) if (existsSync(path.join(root, dir))) walk(path.join(root, dir));
  for (const entry of readdirSync(root, { withFileTypes: true })) if (entry.isFile()) names.add(entry.name);
  return names;
}

export function deadCommentReferences(root = ROOT): DeadReference[] {
  const files = sourceFiles(root);
  const names = fileNames(root, files);
  const dead: DeadReference[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const comment of text.matchAll(COMMENT)) {
      for (const match of comment[0].matchAll(PATH)) {
        const ref = match[1] as string;
        // ../shared/ is outside the repository; DATA_DIR/… names a place under a setting.
        if (EXTERNAL.has(ref) || ref.startsWith('../shared/') || /^[A-Z_]+\//.test(ref)) continue;
        if (!ref.includes('/')) {
          if (!names.has(ref) && !CONVENTIONS.has(ref)) dead.push({ file, reference: ref });
          continue;
        }
        const candidates = [ref, path.posix.join(path.posix.dirname(file), ref), ...BASES.map((b) => `${b}/${ref}`)];
        if (candidates.some((c) => existsSync(path.join(root, c)))) continue;
        dead.push({ file, reference: ref });
      }
    }
  }
  return dead;
}
