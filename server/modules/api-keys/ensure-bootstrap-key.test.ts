// Issue 14 item 7 and the several-processes boot: SERVICE_API_KEY changes revoke the earlier
// bootstrap key, the stored prefix tells keys apart without revealing the key, and simultaneous
// boots insert one row.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/db.ts';
import { createApiKeyAuthenticator, type ApiKeyAuthenticator } from './authenticate-api-key.ts';
import { hashApiKey } from './api-key-hash.ts';
import { BOOTSTRAP_KEY_NAME, ensureBootstrapApiKey } from './ensure-bootstrap-key.ts';

let db: TestDatabase;
let keys: ApiKeyAuthenticator;
beforeAll(async () => {
  db = await createTestDatabase();
  keys = createApiKeyAuthenticator(db.prisma, null);
});
afterAll(async () => {
  await keys?.stop();
  await db?.drop();
});

const FIRST = 'first-bootstrap-service-key-0123456789';
const SECOND = 'second-bootstrap-service-key-0123456789';

it('inserts one row when ten processes boot with the same key at once', async () => {
  const results = await Promise.all(Array.from({ length: 10 }, () => ensureBootstrapApiKey(db.prisma, FIRST)));
  expect(new Set(results.map((r) => r.id)).size).toBe(1);
  expect(await db.prisma.apiKey.count({ where: { name: BOOTSTRAP_KEY_NAME } })).toBe(1);
  expect(results[0]!.revokedAt).toBeNull();
});

it('stores a prefix that tells bootstrap keys apart without any character of the key', async () => {
  const row = await db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(FIRST) } });
  expect(row.prefix).toBe(`env:sha256:${hashApiKey(FIRST).slice(0, 12)}`);
  expect(row.prefix).not.toContain(FIRST.slice(0, 4));
});

it('revokes the earlier bootstrap key when SERVICE_API_KEY changes, and records why', async () => {
  expect(await keys.authenticate(FIRST)).not.toBeNull();
  const second = await ensureBootstrapApiKey(db.prisma, SECOND);
  expect(second.revokedEarlier).toBe(1);
  expect(await keys.authenticate(FIRST)).toBeNull();
  expect(await keys.authenticate(SECOND)).not.toBeNull();
  const first = await db.prisma.apiKey.findUniqueOrThrow({ where: { hash: hashApiKey(FIRST) } });
  expect(first.revokedAt).not.toBeNull();
  const audit = await db.prisma.auditLog.findMany({ where: { targetId: first.id, action: 'api_key.revoke' } });
  expect(audit).toHaveLength(1);
  // Booting again with the second key changes nothing; the first stays revoked even if it comes back.
  expect((await ensureBootstrapApiKey(db.prisma, SECOND)).revokedEarlier).toBe(0);
  const back = await ensureBootstrapApiKey(db.prisma, FIRST);
  expect(back.revokedAt).not.toBeNull();
  expect(await keys.authenticate(FIRST)).toBeNull();
});
