// JSON columns and JSON responses: BigInt ids become strings and Dates ISO strings, so any domain
// object can be stored in a Json column (audit before/after, metadata) or sent over REST.

export type JsonPrimitive = string | number | boolean | null;
export type Json = JsonPrimitive | Json[] | { [key: string]: Json };

/** Plain JSON copy of `value`; undefined stays undefined (Prisma: leave the column unset). */
export function toJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as Json;
}

/**
 * Value for an optional Prisma Json column: SQL NULL (undefined) for null/undefined, which Prisma
 * would otherwise refuse without its JsonNull sentinel.
 */
export function jsonColumn(value: unknown): Exclude<Json, null> | undefined {
  const json = toJson(value);
  return json === null ? undefined : json;
}

/** Stable serialisation (sorted keys): equal payloads give equal strings, whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return v;
  });
}
