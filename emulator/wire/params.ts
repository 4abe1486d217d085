// Typed access to a parsed form body. Stripe rejects unknown parameters and malformed
// integers/booleans with specific error codes; the helpers below reproduce those messages.
import type { FormObject, FormValue } from './form.ts';
import { CURRENCIES } from './currencies.ts';
import { missingParam, paramError, unknownParam } from './errors.ts';
import { checkNested, type Shape } from './nested-params.ts';

/** Stripe's own check is looser than RFC 5322 but rejects anything without one `@` and a dotted domain. */
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export class Params {
  constructor(
    readonly raw: FormObject,
    private readonly prefix = '',
  ) {}

  /**
   * Throws `parameter_unknown` for any top-level key not in `allowed` (expand is always allowed)
   * and for any key inside a hash that `nested` describes.
   */
  static strict(raw: FormObject, allowed: readonly string[], nested: Shape = {}): Params {
    for (const key of Object.keys(raw)) {
      if (key !== 'expand' && !allowed.includes(key)) throw unknownParam(key);
      const shape = nested[key];
      if (shape) checkNested(raw[key], shape, key);
    }
    return new Params(raw);
  }

  name(key: string): string {
    return this.prefix ? `${this.prefix}[${key}]` : key;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined;
  }

  keys(): string[] {
    return Object.keys(this.raw);
  }

  /** Absent -> undefined; empty string (Stripe's "unset") -> null. */
  nullableStr(key: string): string | null | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string')
      throw paramError('parameter_invalid_string', `Invalid string: ${JSON.stringify(v)}`, this.name(key));
    return v === '' ? null : v;
  }

  str(key: string): string | undefined {
    return this.nullableStr(key) ?? undefined;
  }

  reqStr(key: string): string {
    const v = this.str(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  /** An email address, `email_invalid` when it cannot be one; `''` unsets (null). */
  email(key: string): string | null | undefined {
    const v = this.nullableStr(key);
    if (v && !EMAIL.test(v)) throw paramError('email_invalid', `Invalid email address: ${v}`, this.name(key));
    return v;
  }

  /** A supported currency, lower-cased; `parameter_invalid` otherwise. */
  currency(key: string): string | undefined {
    const v = this.str(key)?.toLowerCase();
    if (v !== undefined && !CURRENCIES.has(v)) {
      throw paramError(
        'parameter_invalid',
        `Invalid currency: ${v}. Stripe currently supports these currencies: ${[...CURRENCIES].join(', ')}`,
        this.name(key),
      );
    }
    return v;
  }

  reqCurrency(key: string): string {
    const v = this.currency(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  int(key: string): number | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!/^-?\d+$/.test(v)) throw paramError('parameter_invalid_integer', `Invalid integer: ${v}`, this.name(key));
    return Number(v);
  }

  reqInt(key: string): number {
    const v = this.int(key);
    if (v === undefined) throw missingParam(this.name(key));
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (v === 'true') return true;
    if (v === 'false') return false;
    throw paramError('parameter_invalid_boolean', `Invalid boolean: ${v}`, this.name(key));
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    if (!(values as readonly string[]).includes(v)) {
      throw paramError(
        'parameter_invalid_string',
        `Invalid ${this.name(key)}: must be one of ${values.join(', ')}`,
        this.name(key),
      );
    }
    return v as T;
  }

  obj(key: string): Params | undefined {
    const v = this.raw[key];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw paramError('parameter_invalid_object', `Invalid object`, this.name(key));
    }
    return new Params(v, this.name(key));
  }

  list(key: string): Params[] {
    const v = this.raw[key];
    if (v === undefined || v === '') return [];
    const arr: FormValue[] = Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v) : [v];
    return arr.map((item, i) => {
      if (typeof item !== 'object' || Array.isArray(item)) {
        throw paramError('parameter_invalid_object', `Invalid object`, `${this.name(key)}[${i}]`);
      }
      return new Params(item, `${this.name(key)}[${i}]`);
    });
  }

  strList(key: string): string[] | undefined {
    const v = this.raw[key];
    if (v === undefined) return undefined;
    if (v === '') return [];
    if (typeof v === 'string') return [v];
    const arr = Array.isArray(v) ? v : Object.values(v);
    return arr.map((item, i) => {
      if (typeof item !== 'string')
        throw paramError('parameter_invalid_string', 'Invalid string', `${this.name(key)}[${i}]`);
      return item;
    });
  }

  expand(): string[] {
    return this.strList('expand') ?? [];
  }
}

/**
 * Applies a `metadata` parameter the way Stripe does: `metadata=` clears every key,
 * `metadata[k]=` removes one key, other values set or replace.
 */
export function applyMetadata(current: Record<string, string>, value: FormValue | undefined): Record<string, string> {
  if (value === undefined) return current;
  if (value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw paramError('parameter_invalid_object', 'Invalid hash', 'metadata');
  }
  const next = { ...current };
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw paramError('parameter_invalid_string', 'Invalid string', `metadata[${k}]`);
    if (k.length > 40)
      throw paramError('parameter_invalid_string', 'Metadata keys can have up to 40 characters', `metadata[${k}]`);
    if (v.length > 500)
      throw paramError('parameter_invalid_string', 'Metadata values can have up to 500 characters', `metadata[${k}]`);
    if (v === '') delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > 50)
    throw paramError('parameter_invalid_object', 'Metadata can have up to 50 keys', 'metadata');
  return next;
}

/** Parses `created`-style range filters: `created=123` or `created[gte]=..&created[lt]=..`. */
export function rangeFilter(params: Params, key: string): ((value: number) => boolean) | undefined {
  if (!params.has(key)) return undefined;
  const exact = params.raw[key];
  if (typeof exact === 'string') {
    const n = params.int(key);
    return (v) => v === n;
  }
  const r = params.obj(key);
  if (!r) return undefined;
  const gt = r.int('gt');
  const gte = r.int('gte');
  const lt = r.int('lt');
  const lte = r.int('lte');
  return (v) =>
    (gt === undefined || v > gt) &&
    (gte === undefined || v >= gte) &&
    (lt === undefined || v < lt) &&
    (lte === undefined || v <= lte);
}
