// The repository root (where package.json, prisma/ and dist/ live), found by walking up from this
// module: the same answer from the TypeScript sources (server/lib) and from the compiled bundle
// (dist/server), whose depth differs.
import { existsSync } from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No project root (package.json + prisma/) above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(import.meta.dirname);
