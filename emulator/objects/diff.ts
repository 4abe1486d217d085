// `data.previous_attributes` for `*.updated` events: the old values of what changed. Nested
// hashes (metadata, cancellation_details) list only their changed keys, with null for added
// keys, as Stripe does; arrays and scalars are given whole.

type Json = Record<string, unknown>;

function isHash(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function diffHash(before: Json, after: Json): Json | undefined {
  const out: Json = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    const b = before[k];
    const a = after[k];
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    if (isHash(b) && isHash(a) && !('object' in b)) {
      const inner = diffHash(b, a);
      if (inner) out[k] = inner;
    } else {
      out[k] = b === undefined ? null : structuredClone(b);
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export function previousAttributes(before: object, after: object): Json | undefined {
  return diffHash(before as Json, after as Json);
}

export function snapshot<T>(o: T): T {
  return structuredClone(o);
}
