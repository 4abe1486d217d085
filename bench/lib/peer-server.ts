// The peer of bench/http.ts's webhook mix: @supabase/stripe-sync-engine (installed by
// bench/lib/peer.ts into bench/.peer, never a dependency of the project) behind the smallest
// Fastify route that feeds it the raw body and the Stripe-Signature header, as its own docs show.
// It mirrors Stripe objects into its own schema (`stripe`) of the same database. No Stripe key:
// it uses the event payloads as they are (no refetch, no backfill of related objects).
//
//   DATABASE_URL=... PORT=... PEER_DIR=... WEBHOOK_SECRET=... node --import tsx bench/lib/peer-server.ts
import { createRequire } from 'node:module';
import path from 'node:path';
import Fastify from 'fastify';

interface StripeSyncLike {
  processWebhook(payload: Buffer, signature: string): Promise<void>;
}

async function main(): Promise<void> {
  // Its CommonJS build: the ES module build finds its migrations through `__dirname`, which ES
  // modules do not have, and its runMigrations swallows that error (no tables, every event 500).
  const require = createRequire(path.join(process.env.PEER_DIR!, 'package.json'));
  const engine = require('@supabase/stripe-sync-engine') as {
    StripeSync: new (config: Record<string, unknown>) => StripeSyncLike;
    runMigrations: (config: Record<string, unknown>) => Promise<void>;
  };
  const databaseUrl = process.env.DATABASE_URL!;
  await engine.runMigrations({
    databaseUrl,
    schema: 'stripe',
    logger: { info: () => {}, error: (err: unknown) => console.error('peer migrations failed:', err) },
  });
  const sync = new engine.StripeSync({
    schema: 'stripe',
    stripeSecretKey: 'sk_test_peer_bench_no_api_calls',
    stripeWebhookSecret: process.env.WEBHOOK_SECRET,
    stripeApiVersion: '2026-10-28.endive',
    backfillRelatedEntities: false,
    autoExpandLists: false,
    poolConfig: { connectionString: databaseUrl, max: Number(process.env.POOL_MAX ?? 10) },
  });
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/webhook', async (req, reply) => {
    try {
      await sync.processWebhook(req.body as Buffer, String(req.headers['stripe-signature']));
      return { received: true };
    } catch (err) {
      return reply.code(500).send({ error: err instanceof Error ? err.message : String(err) });
    }
  });
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
  const stop = () => void app.close().finally(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();
