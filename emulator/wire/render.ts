// Turns a stored object into a response: embedded objects refreshed (hydrate), then `expand[]`
// applied. Expansion follows dotted paths through ids (replaced by the object), nested objects,
// lists (`data.x`), and "includable" fields that Stripe leaves out unless expanded
// (`line_items` on a Checkout Session, `refunds` on a Charge, `payments` on an Invoice).
import type { Store } from '../store.ts';
import { invalidRequest } from './errors.ts';

type Json = Record<string, unknown>;
export type Includer = (store: Store, obj: Json) => unknown;
export type Hydrator = (store: Store, obj: Json) => void;

export interface RenderRegistry {
  includables: Record<string, Record<string, Includer>>;
  hydrators: Record<string, Hydrator>;
}

export const registry: RenderRegistry = { includables: {}, hydrators: {} };

const MAX_DEPTH = 4;

function clone<T>(v: T): T {
  return structuredClone(v);
}

/** Object as it appears in API responses and event payloads, without expansions. */
export function hydrate(store: Store, obj: object): Json {
  const out = clone(obj) as Json;
  const fn = registry.hydrators[String(out.object)];
  if (fn) fn(store, out);
  return out;
}

function expandInto(store: Store, node: Json, paths: string[][], trail: string): void {
  const groups = new Map<string, string[][]>();
  for (const p of paths) {
    const [head, ...rest] = p;
    if (!head) continue;
    const g = groups.get(head) ?? [];
    if (rest.length) g.push(rest);
    groups.set(head, g);
  }
  for (const [key, rest] of groups) {
    const where = trail ? `${trail}.${key}` : key;
    if (key === 'data' && node.object === 'list' && Array.isArray(node.data)) {
      node.data = node.data.map((item) => expandValue(store, item, rest, where, key));
      continue;
    }
    if (!(key in node)) {
      const includer = registry.includables[String(node.object)]?.[key];
      if (!includer) throw invalidRequest(`This property cannot be expanded (${where}).`, 'expand');
      node[key] = hydrateDeep(store, includer(store, node));
    }
    node[key] = expandValue(store, node[key], rest, where, key);
  }
}

function hydrateDeep(store: Store, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && (v as Json).object === 'list') {
    const list = v as Json;
    return { ...list, data: (list.data as Json[]).map((o) => hydrate(store, o)) };
  }
  return v;
}

function expandValue(store: Store, value: unknown, rest: string[][], where: string, key: string): unknown {
  if (value === null) return null;
  if (typeof value === 'string') {
    const target = store.getAny(value);
    if (!target) {
      if (store.isDeleted(value)) return { id: value, object: key, deleted: true };
      if (!/^[a-z]+(_[a-z]+)*_[A-Za-z0-9]{6,}$/.test(value)) {
        throw invalidRequest(`This property cannot be expanded (${where}).`, 'expand');
      }
      return value;
    }
    const rendered = hydrate(store, target);
    if (rest.length) expandInto(store, rendered, rest, where);
    return rendered;
  }
  if (Array.isArray(value)) {
    return value.map((v) => expandValue(store, v, rest, where, key));
  }
  if (typeof value === 'object') {
    if (rest.length) expandInto(store, value as Json, rest, where);
    return value;
  }
  throw invalidRequest(`This property cannot be expanded (${where}).`, 'expand');
}

export function render(store: Store, obj: object, expand: readonly string[] = []): Json {
  const out = hydrate(store, obj);
  if (!expand.length) return out;
  const paths = expand.map((e) => {
    const parts = e.split('.');
    if (parts.length > MAX_DEPTH) {
      throw invalidRequest(`You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${e}`, 'expand');
    }
    return parts;
  });
  expandInto(store, out, paths, '');
  return out;
}

/** For list endpoints: `expand[]=data.customer` applies to each item. */
export function renderList<T extends { data: unknown[] }>(store: Store, list: T, expand: readonly string[] = []): Json {
  const rendered = { ...list, data: list.data.map((o) => hydrate(store, o as Json)) } as Json;
  if (!expand.length) return rendered;
  const paths = expand.map((e) => e.split('.'));
  for (const p of paths) {
    if (p[0] !== 'data') throw invalidRequest(`This property cannot be expanded (${p.join('.')}).`, 'expand');
    if (p.length > MAX_DEPTH + 1) {
      throw invalidRequest(
        `You cannot expand more than ${MAX_DEPTH} levels of a property. Property: ${p.join('.')}`,
        'expand',
      );
    }
  }
  rendered.data = (rendered.data as Json[]).map((item) => {
    expandInto(
      store,
      item,
      paths.map((p) => p.slice(1)),
      '',
    );
    return item;
  });
  return rendered;
}
