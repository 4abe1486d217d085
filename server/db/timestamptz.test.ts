// Every timestamp column is timestamptz: an instant written in one session and read in another
// stays the same instant whatever either session's TimeZone (an operator's psql, a BI tool, a
// database whose default zone is not UTC). On timestamp-without-zone each of these shifts by the
// zone's offset.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { createPrisma } from './client.ts';

let db: TestDatabase;
let zoned: pg.Client;
const INSTANT = new Date('2026-03-08T12:34:56.789Z');
const LATER = new Date('2026-09-30T23:59:59.123Z');

beforeAll(async () => {
  db = await createTestDatabase();
  zoned = new pg.Client({ connectionString: db.url });
  await zoned.connect();
  await zoned.query("SET TIME ZONE 'America/New_York'");
});
afterAll(async () => {
  await zoned?.end();
  await db?.drop();
});

describe('timestamps across sessions in other zones', () => {
  it('every DateTime column is timestamptz', async () => {
    const { rows } = await zoned.query<{ col: string }>(`
      SELECT table_name || '.' || column_name AS col FROM information_schema.columns
       WHERE table_schema = 'public' AND data_type = 'timestamp without time zone'`);
    expect(rows.map((r) => r.col)).toEqual([]);
  });

  it('an instant written by a session in New York reads back the same in the app', async () => {
    const { rows } = await zoned.query<{ id: string }>(
      `INSERT INTO audit_log (action, target_type, created_at) VALUES ('tz.write', 'test', $1::timestamptz)
       RETURNING id::text`,
      [INSTANT.toISOString()],
    );
    const read = await db.prisma.auditLog.findUniqueOrThrow({ where: { id: BigInt(rows[0]!.id) } });
    expect(read.createdAt.toISOString()).toBe(INSTANT.toISOString());
  });

  it('an instant the app writes is the same instant for a session in New York', async () => {
    const row = await db.prisma.auditLog.create({ data: { action: 'tz.read', targetType: 'test', createdAt: LATER } });
    const { rows } = await zoned.query<{ n: number; local: string }>(
      `SELECT count(*)::int AS n, min(created_at)::text AS local FROM audit_log WHERE id = $1 AND created_at = $2`,
      [row.id.toString(), LATER],
    );
    expect(rows[0]).toEqual({ n: 1, local: '2026-09-30 19:59:59.123-04' });
  });

  it('the ledger function called from a session in New York stamps the current instant', async () => {
    const customer = await db.prisma.customer.create({
      data: { externalId: `tz_${randomUUID()}`, email: 'tz@example.com' },
    });
    const before = Date.now();
    const { rows } = await zoned.query<{ r: { status: string; entry: { id: string } } }>(
      'SELECT ledger_post_entry($1::jsonb) AS r',
      [
        JSON.stringify({
          mode: 'grant',
          customerId: customer.id,
          idempotencyKey: `tz:${customer.id}`,
          credits: 5,
          type: 'grant',
          actorType: 'system',
          reason: 'timezone test',
          lot: { source: 'promo', costBasis: 'free', expiresAt: LATER.toISOString() },
        }),
      ],
    );
    expect(rows[0]!.r.status).toBe('posted');
    const entry = await db.prisma.ledgerEntry.findUniqueOrThrow({ where: { id: BigInt(rows[0]!.r.entry.id) } });
    // Allow for the round trips, not for a zone's offset (hours).
    expect(Math.abs(entry.createdAt.getTime() - before)).toBeLessThan(60_000);
    const lot = await db.prisma.creditLot.findUniqueOrThrow({ where: { id: entry.lotId! } });
    expect(lot.expiresAt?.toISOString()).toBe(LATER.toISOString());
    expect(Math.abs(lot.createdAt.getTime() - before)).toBeLessThan(60_000);
  });

  it("the app's own sessions stay right on a database whose default zone is not UTC", async () => {
    const name = new URL(db.url).pathname.slice(1);
    await zoned.query(`ALTER DATABASE "${name}" SET TimeZone = 'Asia/Kolkata'`);
    const app = createPrisma(db.url, { max: 2 });
    try {
      const row = await app.auditLog.create({ data: { action: 'tz.pinned', targetType: 'test', createdAt: INSTANT } });
      const read = await app.auditLog.findUniqueOrThrow({ where: { id: row.id } });
      expect(read.createdAt.toISOString()).toBe(INSTANT.toISOString());
      const { rows } = await zoned.query<{ epoch: number }>(
        'SELECT extract(epoch FROM created_at)::float8 AS epoch FROM audit_log WHERE id = $1',
        [row.id.toString()],
      );
      expect(rows[0]!.epoch * 1000).toBe(INSTANT.getTime());
      const zone = await app.$queryRaw<Array<{ zone: string }>>`SELECT current_setting('TimeZone') AS zone`;
      expect(zone).toEqual([{ zone: 'UTC' }]);
    } finally {
      await app.$disconnect();
    }
  });
});
