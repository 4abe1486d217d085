// npm run bench -- bundle: the SPA's initial JavaScript (the entry script plus the chunks
// index.html preloads), gzip-compressed, against the 300 KB target; beside it, as the same-run
// reference, the whole build (every lazily loaded screen included).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT } from '../server/db/migrator.ts';
import { updateReadmeTable } from './lib/common.ts';

const TARGET_KB = 300;

const gz = (file: string) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

export async function run(): Promise<void> {
  const out = mkdtempSync(path.join(os.tmpdir(), 'creditdesk-bundle-'));
  try {
    const build = spawnSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (build.status !== 0) throw new Error('vite build failed');
    const html = readFileSync(path.join(out, 'index.html'), 'utf8');
    const initial = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    const initialBytes = initial.reduce((sum, rel) => sum + gz(path.join(out, rel)), 0);
    const all = readdirSync(path.join(out, 'assets')).filter((f) => f.endsWith('.js'));
    const allBytes = all.reduce((sum, f) => sum + gz(path.join(out, 'assets', f)), 0);
    const report = {
      at: new Date().toISOString(),
      initialFiles: initial.length,
      initialGzipKb: kb(initialBytes),
      allChunks: all.length,
      allGzipKb: kb(allBytes),
      targetKb: TARGET_KB,
      withinTarget: kb(initialBytes) < TARGET_KB,
    };
    console.log(`initial JS (gzip): ${report.initialGzipKb} KB in ${initial.length} files  (target < ${TARGET_KB} KB)`);
    console.log(`whole build (gzip): ${report.allGzipKb} KB in ${all.length} chunks (loaded on demand)`);
    const results = path.join(PROJECT_ROOT, 'bench/results');
    mkdirSync(results, { recursive: true });
    writeFileSync(path.join(results, 'bundle.json'), JSON.stringify(report, null, 2));
    updateReadme(report);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function updateReadme(r: {
  at: string;
  initialGzipKb: number;
  initialFiles: number;
  allGzipKb: number;
  allChunks: number;
  withinTarget: boolean;
}): void {
  updateReadmeTable('bundle', [
    `Last run ${r.at.slice(0, 16).replace('T', ' ')} UTC.`,
    '',
    '| SPA JavaScript | gzip KB | files | target |',
    '| --- | ---: | ---: | --- |',
    `| initial (entry + preloaded chunks) | ${r.initialGzipKb} | ${r.initialFiles} | < ${TARGET_KB} KB: ${r.withinTarget ? 'met' : 'missed'} |`,
    `| whole build, screens split by route | ${r.allGzipKb} | ${r.allChunks} | reference |`,
  ]);
}
