// The app's JSON body parser. Fastify's own would hand on what PostgreSQL or a recursive walker
// later chokes on (a 500): NUL characters (text columns refuse them), lone surrogates (not
// encodable as UTF-8) and very deep nesting (stack overflow in zod/superjson). All are a 400 here,
// before any route sees the body.
import type { FastifyInstance } from 'fastify';

const MAX_JSON_DEPTH = 64;

class BadJsonError extends Error {
  readonly statusCode = 400;
  readonly code = 'FST_ERR_BAD_JSON';
}

/** Nesting depth of a JSON text, counted without parsing (brackets inside strings ignored). */
function exceedsDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

/** The first problem with a parsed value's strings (keys included), or null. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function badString(value: unknown): string | null {
  const check = (s: string) =>
    s.includes('\u0000')
      ? 'a NUL character'
      : LONE_SURROGATE.test(s)
        ? 'an unpaired surrogate (invalid Unicode)'
        : null;
  if (typeof value === 'string') return check(value);
  if (Array.isArray(value)) {
    for (const v of value) {
      const bad = badString(v);
      if (bad) return bad;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      // Prototype poisoning, refused like Fastify's own parser does.
      if (k === '__proto__' || (k === 'constructor' && v && typeof v === 'object' && 'prototype' in v)) {
        return `a forbidden key (${k})`;
      }
      const bad = check(k) ?? badString(v);
      if (bad) return bad;
    }
  }
  return null;
}

function parseSafeJson(text: string): unknown {
  if (exceedsDepth(text, MAX_JSON_DEPTH)) throw new BadJsonError(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw new BadJsonError('Body is not valid JSON');
  }
  const bad = badString(value);
  if (bad) throw new BadJsonError(`Body contains ${bad}`);
  return value;
}

export function registerSafeJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, parseSafeJson(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}
