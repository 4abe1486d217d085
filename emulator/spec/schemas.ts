// Validation of emulator output against Stripe's OpenAPI schemas for API 2026-10-28.endive.
// spec/openapi-subset.json.gz is ../shared/stripe/openapi-subset.json (generated from the
// stripe@23.1.0 types), gzipped. Used by the tests, never at runtime.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let ajv: Ajv | null = null;
const cache = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  const doc = JSON.parse(
    gunzipSync(readFileSync(path.join(import.meta.dirname, 'openapi-subset.json.gz'))).toString('utf8'),
  ) as object;
  // optimize:false halves compile time for these large, deeply referenced schemas.
  ajv = new Ajv({ strict: false, allErrors: true, code: { optimize: false } });
  addFormats(ajv);
  ajv.addSchema(doc, 'stripe');
  return ajv;
}

export function schemaErrors(schema: string, value: unknown): string[] {
  let validate = cache.get(schema);
  if (!validate) {
    const found = instance().getSchema(`stripe#/components/schemas/${schema}`);
    if (!found) throw new Error(`No schema named ${schema} in openapi-subset.json`);
    validate = found;
    cache.set(schema, validate);
  }
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
  );
}

/** SDK responses hold `Stripe.Decimal` objects; their JSON form is the wire form Stripe sent. */
export function wire<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
