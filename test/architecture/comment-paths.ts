// File paths named in comments ("see modules/ledger/post-entry.ts") that no longer exist: a
// comment that points nowhere misleads more than no comment. A path counts as found when it
// exists from the repository root, from the commenting file's folder or from a top-level source
// folder. A bare file name is not checked: it often names a convention (`columns.tsx`).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, sourceFiles } from './import-graph.ts';

/** Documents outside this repository (../shared/) and placeholders that are not paths. */
const EXTERNAL = new Set(['PRODUCT.md', 'TOOLCHAIN.md', 'UI.md', 'file.json']);
const BASES = ['server', 'web', 'emulator', 'prisma', 'scripts', 'docs', 'test', 'e2e', 'client'];
const COMMENT = /(?:^|\s)(?:\/\/|\/\*+|\*)[^\n]*/g;
const PATH = /(?<![\w/.-])([\w.-]+(?:\/[\w.-]+)*\.(?:ts|tsx|sql|md|json|mjs))(?![\w-])(?!\.\w)/g;

export interface DeadReference {
  file: string;
  reference: string;
}

export function deadCommentReferences(root = ROOT): DeadReference[] {
  const files = sourceFiles(root);
  const dead: DeadReference[] = [];
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const comment of text.matchAll(COMMENT)) {
      for (const match of comment[0].matchAll(PATH)) {
        const ref = match[1] as string;
        // ../shared/ is outside the repository; DATA_DIR/… names a place under a setting.
        if (EXTERNAL.has(ref) || ref.startsWith('../shared/') || /^[A-Z_]+\//.test(ref)) continue;
        if (!ref.includes('/')) continue;
        const candidates = [ref, path.posix.join(path.posix.dirname(file), ref), ...BASES.map((b) => `${b}/${ref}`)];
        if (candidates.some((c) => existsSync(path.join(root, c)))) continue;
        dead.push({ file, reference: ref });
      }
    }
  }
  return dead;
}
