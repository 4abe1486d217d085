// Installs the peer of the webhook mix, @supabase/stripe-sync-engine at the version issue 15
// names, into bench/.peer (gitignored) with npm's ordinary client, once per machine. Returns the
// folder, or the reason it could not be installed (the bench then reports ours alone and says why).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../server/db/migrator.ts';

export const PEER_PACKAGE = '@supabase/stripe-sync-engine';
export const PEER_VERSION = '0.48.5';
export const PEER_DIR = path.join(PROJECT_ROOT, 'bench/.peer');

export async function installPeer(): Promise<{ dir: string } | { error: string }> {
  const manifest = path.join(PEER_DIR, 'node_modules', PEER_PACKAGE, 'package.json');
  const installed = () =>
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === PEER_VERSION;
  if (installed()) return { dir: PEER_DIR };
  mkdirSync(PEER_DIR, { recursive: true });
  try {
    const npm = path.join(path.dirname(process.execPath), process.platform === 'win32' ? 'npm.cmd' : 'npm');
    await promisify(execFile)(
      existsSync(npm) ? npm : 'npm',
      ['install', '--prefix', PEER_DIR, '--no-audit', '--no-fund', `${PEER_PACKAGE}@${PEER_VERSION}`],
      { cwd: PEER_DIR, timeout: 300_000 },
    );
  } catch (err) {
    return { error: `npm install ${PEER_PACKAGE}@${PEER_VERSION} failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return installed() ? { dir: PEER_DIR } : { error: `${PEER_PACKAGE}@${PEER_VERSION} not found after npm install` };
}
