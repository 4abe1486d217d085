// npm run build: the Prisma client, the SPA (Vite -> dist/web) and the server (esbuild ->
// dist/server), then a stamp that scripts/ensure-built.mjs compares with the sources. The server
// bundle keeps every npm package external (node_modules at run time, dependencies only: a bundle
// that imports a devDependency fails the build) and inlines our code and the generated Prisma
// client, so `npm ci --omit=dev && npm start` runs it with plain node.
import { spawnSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const STAMP = path.join(ROOT, 'dist/.built');

/**
 * Entry points: the server, the release step (`npm run db:migrate`) and every worker thread's
 * script (a worker runs a file of its own; see render-evidence-pdf-in-worker.ts).
 */
const ENTRIES = {
  index: 'server/index.ts',
  'db-migrate': 'scripts/db-migrate.ts',
  'evidence-pdf-worker': 'server/modules/disputes/evidence-pdf-worker.ts',
};

function run(label, args) {
  const started = Date.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
  console.log(`  ${label}: ${Date.now() - started} ms`);
}

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

async function buildServer() {
  const started = Date.now();
  const { build } = await import('esbuild');
  const outdir = path.join(ROOT, 'dist/server');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22.12',
    packages: 'external',
    // Dynamic imports (the Stripe emulator, the demo seed's driver) become chunks loaded only
    // when used: a production server with real Stripe keys never parses them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const allowed = new Set(Object.keys(pkg.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const bad = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || builtins.has(imp.path)) continue;
      if (!allowed.has(packageName(imp.path))) bad.add(imp.path);
    }
  }
  if (bad.size) {
    throw new Error(`the server bundle imports packages that are not "dependencies": ${[...bad].join(', ')}`);
  }
  console.log(`  server (esbuild): ${Date.now() - started} ms`);
}

export async function buildAll() {
  console.log('Building Creditdesk into dist/ …');
  rmSync(STAMP, { force: true });
  run('prisma client', ['scripts/prisma-generate.mjs']);
  run('web (vite)', ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
  await buildServer();
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await buildAll();
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
