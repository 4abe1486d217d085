// The change feed and the caches it guards, on real PostgreSQL: a value is loaded once while
// nothing changes, a write from another client clears it within a second (polled, no fixed
// sleep), and a lost LISTEN connection turns the cache off until the feed is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db.ts';
import { until } from '../../test/until.ts';
import { cached, ChangeFeed } from './change-feed.ts';
import { createPrisma, type Db } from './client.ts';

let db: TestDatabase;
let other: Db;
beforeAll(async () => {
  db = await createTestDatabase();
  other = createPrisma(db.url, { max: 2 });
});
afterAll(async () => {
  await other?.$disconnect();
  await db?.drop();
});

describe.runIf(!!process.env.TEST_DATABASE_URL)('change feed', () => {
  it('keeps a value until another client writes the topic, then within a second loads it anew', async () => {
    const feed = new ChangeFeed(db.url);
    try {
      expect(await feed.start()).toBe(true);
      let loads = 0;
      const features = cached(feed, 'catalog', async () => {
        loads += 1;
        return db.prisma.feature.count();
      });
      expect(await features()).toBe(0);
      expect(await features()).toBe(0);
      expect(loads).toBe(1);
      // A write to another topic keeps the value.
      await other.apiKey.create({ data: { name: 'k', prefix: 'cdk_x', hash: 'h1', createdBy: 't' } });
      await until(async () => feed.generation('api_key') > 0 && feed.generation('api_key'), 1000, 10);
      expect(await features()).toBe(0);
      expect(loads).toBe(1);
      // A catalog write by another client reaches this process within a second.
      await other.feature.create({ data: { key: 'chat', name: 'Chat' } });
      await until(async () => (await features()) === 1, 1000, 10);
      expect(loads).toBe(2);
      // Writing last_used_at (the batched bookkeeping) is not an API key change.
      const before = feed.generation('api_key');
      await other.apiKey.update({ where: { hash: 'h1' }, data: { lastUsedAt: new Date() } });
      await other.apiKey.update({ where: { hash: 'h1' }, data: { revokedAt: new Date() } });
      await until(async () => feed.generation('api_key') > before, 1000, 10);
      expect(feed.generation('api_key')).toBe(before + 1);
    } finally {
      await feed.stop();
    }
  });

  it('reads the database on every call while the LISTEN connection is lost, and recovers', async () => {
    const feed = new ChangeFeed(db.url);
    try {
      expect(await feed.start()).toBe(true);
      let loads = 0;
      const value = cached(feed, 'catalog', async () => ++loads);
      await value();
      await value();
      expect(loads).toBe(1);
      await other.$executeRaw`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE application_name = 'creditdesk-change-feed' AND datname = current_database()`;
      await until(async () => !feed.isLive(), 2000, 10);
      await value();
      await value();
      expect(loads).toBe(3);
      await until(async () => feed.isLive(), 5000, 50);
      await value();
      await value();
      expect(loads).toBe(4);
    } finally {
      await feed.stop();
    }
  });
});
