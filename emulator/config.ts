// Options for one emulator instance and their defaults.
import { newControlToken } from './control/control-token.ts';

export interface EmulatorLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface EmulatorOptions {
  /** Loopback by default; the emulator is never meant to be reachable from outside. */
  host?: string;
  /** 0 = a free port. */
  port?: number;
  /**
   * Real seconds per emulated second for everything that waits: retry backoff, injected delays,
   * delayed payment settlement. 1 = real time; 0.001 = an hour of backoff in 3.6 s.
   */
  timeScale?: number;
  /** Emulated seconds to wait before each retry; its length is the number of retries. */
  retrySchedule?: number[];
  /** Real milliseconds a webhook receiver gets to answer before the attempt counts as timed out. */
  deliveryTimeoutMs?: number;
  /** Deliveries in flight per webhook endpoint; 1 keeps arrival order = creation order unless a fault reorders. */
  deliveryConcurrency?: number;
  /** Persist the store to this JSON file (debounced) and reload it on start. */
  stateFile?: string | null;
  log?: EmulatorLogger;
  /** Required on every control request (control/control-token.ts); random when unset. */
  controlToken?: string;
}

export interface EmulatorConfig {
  host: string;
  port: number;
  timeScale: number;
  retrySchedule: number[];
  deliveryTimeoutMs: number;
  deliveryConcurrency: number;
  stateFile: string | null;
  log: EmulatorLogger;
  controlToken: string;
}

export const API_VERSION = '2026-10-28.endive';

/**
 * Test mode: Stripe retries "3 times over a few hours" (no published intervals); these are
 * 5 min, 30 min and 2 h after the previous attempt.
 */
export const DEFAULT_RETRY_SCHEDULE = [300, 1800, 7200];

const silent: EmulatorLogger = { info() {}, warn() {}, error() {} };

export function resolveConfig(o: EmulatorOptions): EmulatorConfig {
  return {
    host: o.host ?? '127.0.0.1',
    port: o.port ?? 0,
    timeScale: o.timeScale ?? 1,
    retrySchedule: o.retrySchedule ?? DEFAULT_RETRY_SCHEDULE,
    deliveryTimeoutMs: o.deliveryTimeoutMs ?? 10_000,
    deliveryConcurrency: o.deliveryConcurrency ?? 1,
    stateFile: o.stateFile ?? null,
    log: o.log ?? silent,
    controlToken: o.controlToken || newControlToken(),
  };
}
