// npm run catalog:import -- <file.json>: validates the file, then replaces the catalog with it in
// one transaction (audited). Every problem is listed and nothing is written when any is found.
// Importing the same file again changes nothing.
import { readFileSync } from 'node:fs';
import { boot } from '../server/boot.ts';
import { EnvError, parseEnv } from '../server/env.ts';
import { AppError } from '../server/lib/app-error.ts';
import { importCatalog, type CatalogDiff } from '../server/modules/catalog/import-catalog.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run catalog:import -- <catalog.json>   (e.g. prisma/catalog.default.json)');
  process.exit(2);
}

let json: unknown;
try {
  json = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.error(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}

const describe = (name: string, d: CatalogDiff) =>
  `  ${name.padEnd(9)} added ${d.added.join(', ') || '-'}; updated ${d.updated.join(', ') || '-'}; removed ${d.removed.join(', ') || '-'}`;

let code = 0;
try {
  const env = parseEnv(process.env);
  const booted = await boot(env);
  try {
    const result = await importCatalog(booted.deps.prisma, json, { type: 'system', id: 'catalog-import-cli' });
    if (!result.changed) console.log(`${file}: the catalog already matches; nothing written.`);
    else {
      console.log(`${file}: catalog imported.`);
      console.log(describe('features', result.features));
      console.log(describe('plans', result.plans));
      console.log(describe('packs', result.creditPacks));
      console.log(`  rules     ${result.rules ? 'changed' : 'unchanged'}`);
    }
  } finally {
    await booted.stop();
  }
} catch (err) {
  code = 1;
  if (err instanceof AppError && err.code === 'VALIDATION') {
    const problems = (err.details as { problems?: Array<{ path: string; message: string }> })?.problems ?? [];
    console.error(`${file}: not imported, ${problems.length} problem${problems.length === 1 ? '' : 's'}:`);
    for (const p of problems) console.error(`  - ${p.path || '(catalog)'}: ${p.message}`);
  } else if (err instanceof EnvError || err instanceof AppError) {
    console.error(err.message);
  } else {
    console.error(err);
  }
}
process.exit(code);
