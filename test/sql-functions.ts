// The database functions' definitions as PostgreSQL prints them (pg_get_functiondef), and the
// files that are their one home in the repository (prisma/sql/functions/<name>.sql).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

export const FUNCTIONS_DIR = path.resolve(import.meta.dirname, '../prisma/sql/functions');

/** Our functions in the public schema (not an extension's), by name. */
export async function liveFunctionDefinitions(client: pg.Client | pg.Pool): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; def: string }>(`
    SELECT p.proname AS name, pg_get_functiondef(p.oid) AS def
    FROM pg_proc p
    WHERE p.pronamespace = 'public'::regnamespace
      AND p.prokind IN ('f', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    ORDER BY p.proname`);
  const out = new Map<string, string>();
  for (const r of rows) {
    if (out.has(r.name)) throw new Error(`function ${r.name} is overloaded: one file per name cannot hold it`);
    out.set(r.name, r.def);
  }
  return out;
}

export function fileFunctionDefinitions(dir = FUNCTIONS_DIR): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    out.set(file.slice(0, -'.sql'.length), readFileSync(path.join(dir, file), 'utf8'));
  }
  return out;
}

/** Line ends and trailing blanks do not count; everything else (the body included) does. */
export function normaliseDefinition(sql: string): string {
  return sql
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .trim()
    .replace(/;$/, '')
    .trim();
}
