// npm run bench -- <name> [options]: runs bench/<name>.ts, which exports `run(args)`. Benchmarks
// are not tests: they measure, print, write bench/results/*.json and refresh their own table in
// README.md. A new benchmark is a new file; nothing to register here.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

const dir = import.meta.dirname;
const available = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3));

const [name, ...args] = process.argv.slice(2);
if (name !== undefined && (!/^[a-z0-9-]+$/.test(name) || !existsSync(path.join(dir, `${name}.ts`)))) {
  console.error(`usage: npm run bench [-- <${available.join('|')}> [options]]   (no name: every suite)`);
  process.exit(2);
}
// No name: every suite, one after the other (they share the machine, so never in parallel).
const suites = name ? [name] : available.sort();
try {
  for (const suite of suites) {
    if (suites.length > 1) console.log(`\n=== bench: ${suite} ===`);
    const bench = (await import(`./${suite}.ts`)) as { run?: (args: string[]) => Promise<void> };
    if (typeof bench.run !== 'function') throw new Error(`bench/${suite}.ts does not export run(args)`);
    await bench.run(name ? args : []);
  }
  process.exit(0);
} catch (err) {
  console.error(err);
  process.exit(1);
}
