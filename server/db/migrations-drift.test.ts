import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema, readMigrations } from './migrator.ts';

describe('prisma/migrations', () => {
  it('agree with schema.prisma (run `npm run db:migration -- <name>` when this fails)', async () => {
    expect(readMigrations().migrationDirectories.length).toBeGreaterThan(0);
    const drift = await diffMigrationsToSchema();
    expect(drift, `schema.prisma has changes no migration covers:\n${drift}`).toBe('');
  });
});
