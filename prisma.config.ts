// Used by the Prisma CLI for `prisma generate`. Migrations run through scripts/db-migrate.ts
// (the wasm schema engine), never through `prisma migrate`, which cannot get its engine here.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/creditdesk' },
});
