// What changed between two JSON values, as a list of paths with their old and new values: the
// audit record shows this instead of two whole JSON blobs side by side (issue 16). Arrays of
// objects that carry a `key` (catalog plans, packs, features) are matched by key, so inserting a
// plan reads as one added plan, not every later plan changed.
export interface JsonChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: unknown;
  after?: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function keyed(list: unknown[]): Map<string, unknown> | null {
  const map = new Map<string, unknown>();
  for (const item of list) {
    if (!isObject(item) || typeof item.key !== 'string' || map.has(item.key)) return null;
    map.set(item.key, item);
  }
  return map;
}

function walk(before: unknown, after: unknown, path: string, out: JsonChange[], limit: number): void {
  if (out.length >= limit) return;
  if (Array.isArray(before) && Array.isArray(after)) {
    const a = keyed(before);
    const b = keyed(after);
    if (a && b) {
      for (const [k, v] of a) {
        if (b.has(k)) walk(v, b.get(k), `${path}[${k}]`, out, limit);
        else out.push({ path: `${path}[${k}]`, kind: 'removed', before: v });
      }
      for (const [k, v] of b) if (!a.has(k)) out.push({ path: `${path}[${k}]`, kind: 'added', after: v });
      return;
    }
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= before.length) out.push({ path: `${path}[${i}]`, kind: 'added', after: after[i] });
      else if (i >= after.length) out.push({ path: `${path}[${i}]`, kind: 'removed', before: before[i] });
      else walk(before[i], after[i], `${path}[${i}]`, out, limit);
    }
    return;
  }
  if (isObject(before) && isObject(after)) {
    for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const p = path ? `${path}.${k}` : k;
      if (!(k in after)) out.push({ path: p, kind: 'removed', before: before[k] });
      else if (!(k in before)) out.push({ path: p, kind: 'added', after: after[k] });
      else walk(before[k], after[k], p, out, limit);
    }
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push({ path: path || '(value)', kind: 'changed', before, after });
  }
}

/** The changes from `before` to `after`, at most `limit` of them (null/undefined count as empty). */
export function jsonDiff(before: unknown, after: unknown, limit = 200): JsonChange[] {
  const out: JsonChange[] = [];
  walk(before ?? {}, after ?? {}, '', out, limit);
  return out.slice(0, limit);
}
