import type { Emulator } from '../emulator.ts';
import { invalidRequest } from '../wire/errors.ts';

/** What a control endpoint receives: JSON body, query, path params. */
export interface ControlContext {
  emu: Emulator;
  body: Record<string, unknown>;
  query: URLSearchParams;
  path: Record<string, string>;
}

export type ControlHandler = (ctx: ControlContext) => unknown;

export function optString(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalidRequest(`${key} must be a string`, key);
  return v;
}

export function optNumber(body: Record<string, unknown>, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalidRequest(`${key} must be a number`, key);
  return v;
}

export function optBool(body: Record<string, unknown>, key: string): boolean | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw invalidRequest(`${key} must be a boolean`, key);
  return v;
}

export function oneOf<T extends string>(
  body: Record<string, unknown>,
  key: string,
  values: readonly T[],
  fallback?: T,
): T {
  const v = optString(body, key) ?? fallback;
  if (v === undefined) throw invalidRequest(`${key} is required (one of ${values.join(', ')})`, key);
  if (!(values as readonly string[]).includes(v))
    throw invalidRequest(`${key} must be one of ${values.join(', ')}`, key);
  return v as T;
}
