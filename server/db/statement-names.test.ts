// Prisma's statements are prepared once per connection (statement-names.ts): the same text gets
// the same name, statements without parameters stay simple queries, and the number of names is
// bounded. On real PostgreSQL, a query through createPrisma's client leaves a named statement on
// its connection, and running it again reuses it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createPrisma, type Db } from './client.ts';
import { namedStatements } from './statement-names.ts';

describe('namedStatements', () => {
  it('names a text once, the same name every time; no name without parameters or past the bound', () => {
    const names = namedStatements(2);
    const a = names.nameFor({ sql: 'SELECT $1::int', args: [1] });
    expect(a).toMatch(/^prisma_/);
    expect(names.nameFor({ sql: 'SELECT $1::int', args: [2] })).toBe(a);
    expect(names.nameFor({ sql: 'BEGIN', args: [] })).toBe('');
    const b = names.nameFor({ sql: 'SELECT $1::text', args: ['x'] });
    expect(b).toMatch(/^prisma_/);
    expect(b).not.toBe(a);
    expect(names.nameFor({ sql: 'SELECT $1::bigint', args: [3] })).toBe('');
    expect(names.size).toBe(2);
  });
});

describe('createPrisma on PostgreSQL', () => {
  let db: TestDatabase;
  let prisma: Db;
  beforeAll(async () => {
    db = await createTestDatabase();
    prisma = createPrisma(db.url, { max: 1 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it("prepares an ORM query's statement once on its connection and reuses it", async () => {
    const prepared = () =>
      prisma.$transaction(async (tx) => {
        await tx.customer.findUnique({ where: { externalId: 'nobody' } });
        return tx.$queryRaw<Array<{ name: string; calls: number }>>`
          SELECT name, 1 AS calls FROM pg_prepared_statements WHERE name LIKE 'prisma\\_%'`;
      });
    const first = await prepared();
    expect(first.length).toBeGreaterThan(0);
    const second = await prepared();
    // The same connection (pool of one) holds the same statements: nothing was prepared anew.
    expect(second.map((r) => r.name).sort()).toEqual(first.map((r) => r.name).sort());
    expect(await prisma.customer.count()).toBe(0);
  });
});
