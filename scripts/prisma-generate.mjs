// `prisma generate` without the native schema engine: generation does not need it, but the CLI
// tries to download it unless told where "it" is (see TOOLCHAIN.md). Plain JS: it runs as
// postinstall, where devDependencies may be absent (`npm ci --omit=dev` on a built tree, whose
// dist/server already contains the generated client), so a missing CLI is a skip, not a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'node_modules/prisma/build/index.js');
if (!existsSync(cli)) {
  if (process.argv.includes('--optional')) {
    console.log('prisma CLI not installed (production install): skipping client generation');
    process.exit(0);
  }
  console.error('The prisma CLI is missing: run `npm install` (with devDependencies) first.');
  process.exit(1);
}
const result = spawnSync(process.execPath, [cli, 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
});
process.exit(result.status ?? 1);
