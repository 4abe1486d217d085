import type { Emulator, Origin } from '../emulator.ts';
import type { FormObject } from '../wire/form.ts';
import type { UploadedFile } from '../wire/multipart.ts';
import type { Shape } from '../wire/nested-params.ts';
import { Params } from '../wire/params.ts';

/** What an API route handler receives. */
export interface ApiContext {
  emu: Emulator;
  raw: FormObject;
  path: Record<string, string>;
  origin: Origin;
  files: UploadedFile[];
}

export type ApiHandler = (ctx: ApiContext) => unknown;

/** Validates params against the allow-list (and nested shapes) and returns typed access. */
export function params(ctx: ApiContext, allowed: readonly string[], nested?: Shape): Params {
  return Params.strict(ctx.raw, allowed, nested);
}

export function pathId(ctx: ApiContext, key = 'id'): string {
  return ctx.path[key] as string;
}
