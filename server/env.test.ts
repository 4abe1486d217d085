import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.PUBLIC_URL).toBe('http://localhost:3000');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toBe(path.resolve('.data'));
  });

  it('names every bad variable and what it expected', () => {
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', STRIPE_WEBHOOK_SECRET: 'nope' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EnvError);
      const message = (err as EnvError).message;
      expect(message).toMatch(/PORT must be a number \(got "eighty"\)/);
      expect(message).toMatch(/DATABASE_URL must be a postgresql:\/\/ URL/);
      expect(message).toMatch(/STRIPE_WEBHOOK_SECRET must be one or more comma-separated whsec_ secrets/);
      // Secrets are never echoed back.
      expect(message).not.toContain('nope');
    }
  });

  it('splits rotated webhook secrets', () => {
    expect(parseEnv({ STRIPE_WEBHOOK_SECRET: 'whsec_a, whsec_b' }).STRIPE_WEBHOOK_SECRET).toEqual([
      'whsec_a',
      'whsec_b',
    ]);
  });

  it('requires AUTH_SECRET and DATABASE_URL in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /AUTH_SECRET is required in production[\s\S]*DATABASE_URL is required/,
    );
  });

  it('rejects a port out of range', () => {
    expect(() => parseEnv({ PORT: '70000' })).toThrow(/PORT must be between 1 and 65535/);
  });
});

describe('server boot with a bad environment', () => {
  for (const [name, vars] of [
    ['PORT', { PORT: 'abc' }],
    ['DATABASE_URL', { DATABASE_URL: 'not-a-url' }],
  ] as const) {
    it(`exits 1 with a readable message for a bad ${name}`, () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
        env: { PATH: process.env.PATH, ...vars },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('Invalid environment');
      expect(result.stderr).toContain(`${name} must be`);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }
});
