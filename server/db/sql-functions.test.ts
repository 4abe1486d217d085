// Each database function has one home, prisma/sql/functions/<name>.sql: the migrated database's
// definition equals its file, and no function lives in the database without a file.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { fileFunctionDefinitions, liveFunctionDefinitions, normaliseDefinition } from '../../test/sql-functions.ts';

let db: TestDatabase;
let live: Map<string, string>;
const files = fileFunctionDefinitions();

beforeAll(async () => {
  db = await createTestDatabase();
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    live = await liveFunctionDefinitions(client);
  } finally {
    await client.end();
  }
});
afterAll(() => db?.drop());

describe('database functions', () => {
  it('exist in the database exactly for the files, and the reverse', () => {
    expect(files.size).toBeGreaterThan(0);
    expect([...live.keys()].sort()).toEqual([...files.keys()].sort());
  });

  it.each([...files.keys()])('%s: the database runs what the file says', (name) => {
    expect(normaliseDefinition(live.get(name) ?? '')).toEqual(normaliseDefinition(files.get(name) as string));
  });

  it('a changed body is told apart (the comparison is not blind)', () => {
    const [name, sql] = [...files.entries()][0] as [string, string];
    expect(normaliseDefinition(`${sql}\n`)).toEqual(normaliseDefinition(live.get(name) as string));
    expect(normaliseDefinition(sql.replace('BEGIN', 'BEGIN\n  PERFORM 1;'))).not.toEqual(
      normaliseDefinition(live.get(name) as string),
    );
  });
});
