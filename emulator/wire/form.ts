// Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed nested keys
// (`metadata[plan]=pro`, `line_items[0][price]=price_1`, `expand[]=customer`). The same
// grammar is used for GET query strings. Values stay strings; routes coerce them per param.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

/** Keys below which integer-looking keys are map keys, not array indexes. */
const MAP_KEYS = new Set(['metadata']);

function splitKey(raw: string): string[] {
  const open = raw.indexOf('[');
  if (open <= 0) return [raw];
  const parts = [raw.slice(0, open)];
  const re = /\[([^\]]*)\]/g;
  let m: RegExpExecArray | null;
  let consumed = open;
  while ((m = re.exec(raw.slice(open))) !== null) {
    parts.push(m[1] ?? '');
    consumed = open + re.lastIndex;
  }
  // Trailing garbage after the last bracket ("a[b]c") is kept literally, as qs does.
  if (consumed < raw.length) parts[parts.length - 1] += raw.slice(consumed);
  return parts;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

type Tree = { [key: string]: Tree | string } | string;

function assign(root: { [key: string]: Tree }, path: string[], value: string): void {
  let node: { [key: string]: Tree } = root;
  for (let i = 0; i < path.length; i++) {
    let key = path[i] as string;
    const last = i === path.length - 1;
    if (key === '') key = String(Object.keys(node).length); // `a[]=x` appends
    if (last) {
      node[key] = value;
      return;
    }
    const next = node[key];
    if (typeof next !== 'object') node[key] = {};
    node = node[key] as { [key: string]: Tree };
  }
}

function finalize(tree: Tree, parentKey: string | null): FormValue {
  if (typeof tree === 'string') return tree;
  const keys = Object.keys(tree);
  const isArray = keys.length > 0 && !MAP_KEYS.has(parentKey ?? '') && keys.every((k) => /^(0|[1-9]\d*)$/.test(k));
  if (isArray) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => finalize(tree[String(k)] as Tree, null));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = finalize(tree[k] as Tree, k);
  return out;
}

/** Parses `a=1&b[c]=2&d[0]=x` into `{a:'1', b:{c:'2'}, d:['x']}`. */
export function parseForm(body: string): FormObject {
  const root: { [key: string]: Tree } = {};
  if (!body) return {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    if (!rawKey) continue;
    assign(root, splitKey(rawKey), value);
  }
  return finalize(root, null) as FormObject;
}

/** Flattens back to `[key, value]` pairs in the SDK's indexed format (used by the driver and tests). */
export function encodeForm(data: Record<string, unknown>): string {
  const pairs: string[] = [];
  const enc = (key: string, value: unknown): void => {
    if (value === undefined) return;
    if (value === null || typeof value !== 'object') {
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(value === null ? '' : String(value))}`);
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => enc(`${key}[${i}]`, v));
      return;
    }
    for (const [k, v] of Object.entries(value)) enc(`${key}[${k}]`, v);
  };
  for (const [k, v] of Object.entries(data)) enc(k, v);
  return pairs.join('&');
}
