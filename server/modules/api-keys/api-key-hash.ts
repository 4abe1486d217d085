// Service API keys are random 192-bit secrets: a plain SHA-256 is enough to store them (no
// password stretching needed for keys nobody chose), and lets a lookup be one indexed query.
import { createHash, randomBytes } from 'node:crypto';

const API_KEY_PREFIX = 'cdk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
}

/**
 * What the admin screen shows to tell keys apart; never enough to use the key: 8 of the 32
 * random characters (48 of 192 bits) after `cdk_`.
 */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 8);
}

/**
 * The same for a SERVICE_API_KEY, which an operator chose (any length, maybe guessable): no
 * character of it, but the start of its SHA-256, which the operator can check with
 * `printf %s "$SERVICE_API_KEY" | sha256sum | cut -c1-12`.
 */
export function bootstrapPrefix(hash: string): string {
  return `env:sha256:${hash.slice(0, 12)}`;
}
