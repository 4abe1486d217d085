// Optional on-disk state, so `npm start` keeps "Stripe's" history across restarts just like the
// database does. Writes are debounced and atomic (temp file + rename).
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Emulator } from './emulator.ts';
import type { StoreSnapshot } from './store.ts';
import type { Delivery } from './webhooks/delivery.ts';

const DEBOUNCE_MS = 250;

interface StateFile extends StoreSnapshot {
  deliveries?: Delivery[];
}

export function loadState(emu: Emulator, file: string): boolean {
  if (!existsSync(file)) return false;
  const state = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
  if (state.version !== 1) return false;
  emu.store.load(state);
  emu.webhooks.restore(state.deliveries ?? []);
  return true;
}

export function saveState(emu: Emulator, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  const state: StateFile = { ...emu.store.snapshot(), deliveries: emu.webhooks.snapshot() };
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}

/** Polls the store's version and saves after changes settle; returns a stop function that flushes. */
export function persistState(emu: Emulator, file: string): () => void {
  let saved = emu.store.version;
  const timer = setInterval(() => {
    if (emu.store.version === saved) return;
    saved = emu.store.version;
    try {
      saveState(emu, file);
    } catch (err) {
      emu.config.log.error({ err, file }, 'stripe emulator: could not save state');
    }
  }, DEBOUNCE_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
    if (emu.store.version !== saved) saveState(emu, file);
  };
}
