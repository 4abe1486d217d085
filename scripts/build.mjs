// npm run build: the Prisma client, the SPA (Vite -> dist/web) and the server (esbuild ->
// dist/server), then a stamp that scripts/ensure-built.mjs compares with the sources. The server
// bundle inlines our code, the generated Prisma client and the npm packages it uses, tree-shaken
// and minified: V8 keeps every loaded module's source and per-module structures resident, and
// ~1,500 files from node_modules cost an idle server about 50 MB more than one bundle (README,
// "Memory"). Packages that find files of their own at run time stay external (KEEP_EXTERNAL),
// loaded from node_modules, dependencies only: one that is a devDependency fails the build. So
// `npm ci --omit=dev && npm start` runs it with plain node.
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

/**
 * Packages loaded from node_modules rather than bundled: each resolves files beside itself at run
 * time (wasm, data files, worker scripts, optional native modules), and none is needed by an idle
 * production server except pino (whose transports run files of their own in worker threads).
 */
/** pg loads its optional native driver only when `pg.native` is read, which we never do. */
const NEVER_LOADED = ['pg-native'];

const KEEP_EXTERNAL = [
  '@electric-sql/pglite',
  '@electric-sql/pglite-socket',
  'pglite-prisma-adapter',
  '@prisma/schema-engine-wasm',
  'pino',
  '@fastify/static',
  'pdf-lib',
];

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
    external: [...KEEP_EXTERNAL, ...NEVER_LOADED].flatMap((name) => [name, `${name}/*`]),
    minify: true,
    // Class and function names stay: errors are told apart by name and logs print them.
    keepNames: true,
    // CommonJS packages inside an ES module bundle still call require() (builtins, JSON).
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    // Dynamic imports (the Stripe emulator, the demo seed's driver) become chunks loaded only
    // when used: a production server with real Stripe keys never parses them.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  // What each output holds, for `node scripts/bundle-contents.mjs` (which package costs what at boot).
  writeFileSync(path.join(outdir, 'meta.json'), JSON.stringify(result.metafile));
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const allowed = new Set(Object.keys(pkg.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const bad = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const imp of output.imports) {
      if (!imp.external || imp.path.startsWith('node:') || builtins.has(imp.path)) continue;
      if (!allowed.has(packageName(imp.path)) && !NEVER_LOADED.includes(imp.path)) bad.add(imp.path);
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
