// The HTTP baseline of bench/http.ts, run as its own process like the real server: a plain
// Fastify route that does the least a ledger write can do, `BEGIN; INSERT; UPDATE; COMMIT` on a
// pg pool of the same size as the server's. No auth, no validation, no ORM.
//
//   DATABASE_URL=... PORT=... POOL_MAX=10 node --import tsx bench/lib/http-baseline.ts
import Fastify from 'fastify';
import pg from 'pg';

export const BASELINE_TABLES = `
  CREATE TABLE IF NOT EXISTS bench_account (id INTEGER PRIMARY KEY, balance BIGINT NOT NULL);
  CREATE TABLE IF NOT EXISTS bench_entry (
    id BIGSERIAL PRIMARY KEY, account_id INTEGER NOT NULL, credits INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE, created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now());`;

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.POOL_MAX ?? 10) });
  pool.on('error', () => {});
  const app = Fastify({ logger: false });
  app.post<{ Body: { account: number; key: string } }>('/baseline', async (request) => {
    const { account, key } = request.body;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO bench_entry (account_id, credits, idempotency_key) VALUES ($1, -1, $2)', [
        account,
        key,
      ]);
      const row = await client.query<{ balance: string }>(
        'UPDATE bench_account SET balance = balance - 1 WHERE id = $1 RETURNING balance',
        [account],
      );
      await client.query('COMMIT');
      return { balance: Number(row.rows[0]?.balance) };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = () => void app.close().then(() => pool.end().finally(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
