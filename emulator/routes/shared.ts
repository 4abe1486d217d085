// Small pieces several resource routes share.
import type { Emulator, Origin } from '../emulator.ts';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import { previousAttributes, snapshot } from '../objects/diff.ts';
import { applyMetadata } from '../wire/params.ts';
import { render } from '../wire/render.ts';

/** POST /v1/<resource>/:id for objects whose only writable fields are metadata and description. */
export function updateMetadataRoute(
  type: 'charge' | 'refund' | 'payment_intent',
  allowed: readonly string[],
  event: string,
): ApiHandler {
  return (ctx) => {
    const p = params(ctx, allowed);
    const obj = ctx.emu.store.require(type, pathId(ctx));
    // Read and check everything first: a rejected request changes nothing.
    const metadata = applyMetadata(obj.metadata ?? {}, p.raw.metadata);
    const description = p.nullableStr('description');
    const before = snapshot(obj);
    obj.metadata = metadata;
    if (description !== undefined && 'description' in obj)
      (obj as { description: string | null }).description = description;
    const prev = previousAttributes(before, obj);
    if (prev) {
      ctx.emu.store.touch();
      ctx.emu.emit(event, obj, ctx.origin, prev);
    }
    return render(ctx.emu.store, obj, p.expand());
  };
}

/** Emits `<type>` with previous_attributes when something changed. */
export function emitUpdated(emu: Emulator, type: string, obj: object, before: object, origin: Origin): void {
  const prev = previousAttributes(before, obj);
  if (!prev) return;
  emu.store.touch();
  emu.emit(type, obj, origin, prev);
}
