// A statement carried by a Prisma interactive transaction's BEGIN and one by its COMMIT
// (transaction-ends.ts), on real PostgreSQL: values inlined as literals read back exactly as bound
// ones; both statements run inside the transaction, in one round trip each; a failure of either
// rolls the whole transaction back and leaves the pooled connection usable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { createPrisma, pgPool, type Db } from './client.ts';
import { inlineSql, transactionEnds, withTransactionEnds } from './transaction-ends.ts';

describe('transaction ends on PostgreSQL', () => {
  let db: TestDatabase;
  let prisma: Db;
  beforeAll(async () => {
    db = await createTestDatabase();
    // One connection: a connection left inside a transaction would break the next test.
    prisma = createPrisma(db.url, { max: 1 });
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('inlines values as literals that read back exactly as bound parameters', async () => {
    const values: unknown[] = [
      `it's a "quote" \\ back\\slash, $1 and ${'$'}{x}; -- not a comment`,
      '{"json": "with \\"escapes\\" and \\\\n", "n": -1}',
      'ünïcødé ✓',
      -42,
      1.5,
      null,
      true,
      false,
      new Date('2026-12-06T21:00:00.123Z'),
      ['b,1', 'a"2', 'c\\3', 'd}{'],
      [],
    ];
    const sql = Prisma.sql`SELECT ${values[0]}::text AS a, ${values[1]}::jsonb AS b, ${values[2]}::text AS c,
      ${values[3]}::int AS d, ${values[4]}::double precision AS e, ${values[5]}::text AS f, ${values[6]}::boolean AS g,
      ${values[7]}::boolean AS h, ${values[8]}::timestamptz AS i, ${values[9]}::text[] AS j, ${values[10]}::text[] AS k`;
    const pool = pgPool(prisma);
    const bound = await pool.query(sql.text, sql.values);
    const inlined = await pool.query(inlineSql(sql));
    expect(inlined.rows).toEqual(bound.rows);
    expect(bound.rows[0].j).toEqual(['b,1', 'a"2', 'c\\3', 'd}{']);
  });

  it('runs the first statement with BEGIN and the last with COMMIT, inside the transaction', async () => {
    await prisma.$executeRaw`CREATE TABLE IF NOT EXISTS ends_probe (id int PRIMARY KEY, note text)`;
    const ends = transactionEnds(inlineSql(Prisma.sql`INSERT INTO ends_probe VALUES (${1}, ${'first'}) RETURNING id`));
    const inTx = await withTransactionEnds(ends, () =>
      prisma.$transaction(async (tx) => {
        expect(ends.claimed).toBe(true);
        expect(ends.firstRows).toEqual([{ id: 1 }]);
        ends.last = inlineSql(Prisma.sql`UPDATE ends_probe SET note = ${'last'} WHERE id = ${1}`);
        // The first statement's row is visible inside; the last has not run yet.
        return tx.$queryRaw<Array<{ note: string }>>`SELECT note FROM ends_probe WHERE id = 1`;
      }),
    );
    expect(inTx).toEqual([{ note: 'first' }]);
    expect(ends.lastSent).toBe(true);
    expect(await prisma.$queryRaw`SELECT note FROM ends_probe WHERE id = 1`).toEqual([{ note: 'last' }]);
  });

  it('a failing last statement rolls everything back and leaves the connection clean', async () => {
    await prisma.$executeRaw`CREATE TABLE IF NOT EXISTS ends_probe (id int PRIMARY KEY, note text)`;
    const ends = transactionEnds(inlineSql(Prisma.sql`INSERT INTO ends_probe VALUES (${2}, ${'first'}) RETURNING id`));
    await expect(
      withTransactionEnds(ends, () =>
        prisma.$transaction(async (tx) => {
          await tx.$executeRaw`INSERT INTO ends_probe VALUES (3, 'body')`;
          ends.last = 'SELECT 1 / 0';
        }),
      ),
    ).rejects.toThrow(/division by zero/);
    expect(await prisma.$queryRaw`SELECT id FROM ends_probe WHERE id IN (2, 3)`).toEqual([]);
    // The pool's only connection is not left in an aborted transaction.
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`INSERT INTO ends_probe VALUES (4, 'after')`;
    });
    expect(await prisma.$queryRaw`SELECT id FROM ends_probe WHERE id = 4`).toEqual([{ id: 4 }]);
  });

  it('a failing first statement fails the transaction and leaves the connection clean', async () => {
    await prisma.$executeRaw`CREATE TABLE IF NOT EXISTS ends_probe (id int PRIMARY KEY, note text)`;
    const ends = transactionEnds('SELECT 1 / 0');
    let ran = false;
    await expect(
      withTransactionEnds(ends, () =>
        prisma.$transaction(async () => {
          ran = true;
        }),
      ),
    ).rejects.toThrow(/division by zero/);
    expect(ran).toBe(false);
    expect(await prisma.$queryRaw`SELECT count(*)::int AS n FROM ends_probe WHERE id = 5`).toEqual([{ n: 0 }]);
  });

  it('only the first BEGIN inside withTransactionEnds carries the statement; others stay plain', async () => {
    const ends = transactionEnds('SELECT 7 AS seven');
    await withTransactionEnds(ends, async () => {
      await prisma.$transaction(async () => {});
      // A second transaction in the same scope does not run the first statement again.
      await prisma.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
      });
    });
    expect(ends.firstRows).toEqual([{ seven: 7 }]);
    const plain = transactionEnds('SELECT 8');
    await prisma.$transaction(async () => {});
    expect(plain.claimed).toBe(false);
  });
});
