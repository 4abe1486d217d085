// Failed staff logins are limited per (IP, email) and per IP: after LOGIN_MAX_FAILURES failures
// within the window, sign-in answers 429 until the window passes. Successful sign-ins don't
// count. In memory: Creditdesk runs as one process per database (documented in the README).

interface Bucket {
  failures: number[];
}

export class LoginLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
  ) {}

  private keys(ip: string, email: string): string[] {
    // Per IP a little more lenient: several people can share one office address.
    return [`ip+email:${ip}:${email.toLowerCase()}`, `ip:${ip}`];
  }

  private limitFor(key: string): number {
    return key.startsWith('ip:') ? this.maxFailures * 4 : this.maxFailures;
  }

  /** Seconds until the caller may try again, or 0 when allowed. */
  retryAfter(ip: string, email: string, now = Date.now()): number {
    let wait = 0;
    for (const key of this.keys(ip, email)) {
      const bucket = this.buckets.get(key);
      if (!bucket) continue;
      bucket.failures = bucket.failures.filter((t) => now - t < this.windowMs);
      if (bucket.failures.length >= this.limitFor(key)) {
        const oldest = bucket.failures[0] ?? now;
        wait = Math.max(wait, Math.ceil((oldest + this.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  recordFailure(ip: string, email: string, now = Date.now()): void {
    for (const key of this.keys(ip, email)) {
      const bucket = this.buckets.get(key) ?? { failures: [] };
      bucket.failures.push(now);
      this.buckets.set(key, bucket);
    }
  }
}
