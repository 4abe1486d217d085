// What the production server parses at boot: from dist/server/meta.json (esbuild's metafile,
// written by `npm run build`), the outputs index.js loads eagerly (static imports, transitively)
// and the bytes each npm package (or our own code) contributes to them, largest first. Chunks
// reached only through import() are listed apart: they cost nothing until first used.
//
//   node scripts/bundle-contents.mjs [--top 30] [--entry index]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { top: { type: 'string', default: '30' }, entry: { type: 'string', default: 'index' } },
});
const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist/server/meta.json'), 'utf8'));
const entry = `dist/server/${values.entry}.js`;
if (!meta.outputs[entry]) throw new Error(`${entry} is not in dist/server/meta.json (run npm run build)`);

/** The package a bundled input belongs to ("ours" for the repository's own files). */
function owner(input) {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return input.startsWith('server/generated') ? 'prisma client (generated)' : 'ours';
  const parts = input.slice(at + 'node_modules/'.length).split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const eager = new Set();
const lazy = new Set();
const visit = (file) => {
  if (eager.has(file)) return;
  eager.add(file);
  for (const imp of meta.outputs[file].imports) {
    if (imp.external || !meta.outputs[imp.path]) continue;
    if (imp.kind === 'dynamic-import') lazy.add(imp.path);
    else visit(imp.path);
  }
};
visit(entry);

function tally(files) {
  const bytes = new Map();
  let total = 0;
  for (const file of files) {
    for (const [input, { bytesInOutput }] of Object.entries(meta.outputs[file].inputs)) {
      bytes.set(owner(input), (bytes.get(owner(input)) ?? 0) + bytesInOutput);
      total += bytesInOutput;
    }
  }
  return { total, rows: [...bytes].sort((a, b) => b[1] - a[1]) };
}

const kb = (n) => `${(n / 1024).toFixed(1).padStart(8)} KB`;
const eagerTally = tally(eager);
console.log(`${entry}: loaded at boot ${kb(eagerTally.total)} in ${eager.size} files`);
for (const [name, n] of eagerTally.rows.slice(0, Number(values.top))) console.log(`  ${kb(n)}  ${name}`);
const lazyOnly = [...lazy].filter((f) => !eager.has(f));
const lazyTally = tally(lazyOnly);
console.log(`\nloaded only on first use (import()): ${kb(lazyTally.total)} in ${lazyOnly.length} chunks`);
for (const [name, n] of lazyTally.rows.slice(0, Number(values.top))) console.log(`  ${kb(n)}  ${name}`);
const externals = new Set();
for (const file of eager) {
  for (const imp of meta.outputs[file].imports)
    if (imp.external && imp.kind !== 'dynamic-import') externals.add(imp.path);
}
console.log(`\nexternal imports at boot: ${[...externals].sort().join(', ')}`);
