import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.ts';

describe('LoginLimiter', () => {
  it('blocks after the maximum failures and frees the caller when the window passes', () => {
    const limiter = new LoginLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('1.1.1.1', 'a@x.io', t0)).toBe(0);
      limiter.recordFailure('1.1.1.1', 'A@x.io', t0);
    }
    expect(limiter.retryAfter('1.1.1.1', 'a@x.io', t0 + 1000)).toBe(59);
    // Another account from the same address is not locked yet (the per-IP limit is higher).
    expect(limiter.retryAfter('1.1.1.1', 'b@x.io', t0 + 1000)).toBe(0);
    expect(limiter.retryAfter('1.1.1.1', 'a@x.io', t0 + 60_001)).toBe(0);
  });
});
