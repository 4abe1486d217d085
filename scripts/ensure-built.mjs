// Before `npm start` / `npm run db:migrate`: build dist/ when it is missing or older than the
// sources, so `npm install && npm start` works on a fresh clone and a stale build never runs.
// On a production install (no devDependencies) a complete build is used as it is: there is
// nothing to build it with, and mtimes after a deploy copy prove nothing.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const stamp = path.join(root, 'dist/.built');
const canBuild =
  existsSync(path.join(root, 'node_modules/esbuild')) && existsSync(path.join(root, 'node_modules/vite'));

/** Newest mtime under the inputs of `npm run build` (tests excluded: they are not built). */
function newest(target) {
  if (!existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return /\.test\.tsx?$/.test(target) ? 0 : stat.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(target)) {
    if (entry === 'generated' || entry === 'node_modules') continue;
    max = Math.max(max, newest(path.join(target, entry)));
  }
  return max;
}

const INPUTS = [
  'server',
  'emulator',
  'web',
  'prisma/schema.prisma',
  'scripts/db-migrate.ts',
  'scripts/build.mjs',
  'package.json',
  'package-lock.json',
  'vite.config.ts',
];

function staleReason() {
  if (!existsSync(stamp) || !existsSync(path.join(root, 'dist/server/index.js'))) return 'dist/ has no complete build';
  const built = statSync(stamp).mtimeMs;
  const changed = INPUTS.find((input) => newest(path.join(root, input)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

const reason = staleReason();
if (reason) {
  if (canBuild) {
    console.log(`${reason}: building.`);
    const { buildAll } = await import('./build.mjs');
    try {
      await buildAll();
    } catch (err) {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    }
  } else if (!existsSync(stamp)) {
    console.error(
      'dist/ has no build and the build tools (devDependencies) are not installed.\n' +
        'Run `npm ci && npm run build` first (then `npm ci --omit=dev` is enough to run it).',
    );
    process.exit(1);
  }
}
