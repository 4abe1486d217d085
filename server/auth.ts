// Staff authentication (better-auth): email + password sessions in our own database.
// Public sign-up is off: staff are created by admins (or the demo seed) through createStaffUser.
// better-auth/minimal: the same betterAuth() without Kysely (its SQL dialects and migration
// generator), which only a direct database connection needs; ours goes through the Prisma adapter
// and Prisma migrations. The production bundle stops parsing ~200 KB at boot (scripts/bundle-contents.mjs).
import { betterAuth } from 'better-auth/minimal';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { admin } from 'better-auth/plugins';
import { createAccessControl } from 'better-auth/plugins/access';
import { adminAc, defaultStatements } from 'better-auth/plugins/admin/access';
import type { Db } from './db/client.ts';

export const STAFF_ROLES = ['support', 'finance', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

// better-auth's own admin endpoints (/api/auth/admin/*) are for our admin role only; support and
// finance get no permissions there. Creditdesk's own role checks live in the tRPC tiers.
const ac = createAccessControl(defaultStatements);
const authRoles = {
  admin: ac.newRole(adminAc.statements),
  finance: ac.newRole({ user: [], session: [] }),
  support: ac.newRole({ user: [], session: [] }),
};

export interface AuthOptions {
  prisma: Db;
  secret: string;
  baseURL: string;
  /** Browser origins besides baseURL's (http/allowed-origins.ts): the same list our CSRF check uses. */
  trustedOrigins?: string[];
}

/** Set by our Fastify bridge from req.ip (which honours TRUST_PROXY); a client's own copy is dropped. */
export const CLIENT_IP_HEADER = 'x-creditdesk-client-ip';

/** Sessions slide (12 h idle) but never outlive this, however busy (checked in resolveStaffSession). */
export const SESSION_ABSOLUTE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export function createAuth({ prisma, secret, baseURL, trustedOrigins = [] }: AuthOptions) {
  return betterAuth({
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    secret,
    baseURL,
    basePath: '/api/auth',
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    trustedOrigins,
    // Failed-login limiting is ours (server/http/login-limiter.ts): it counts failures only, so a
    // busy support floor behind one NAT is never locked out by its own successful sign-ins.
    // better-auth's limiter is a second, coarser layer counting every request per IP and path,
    // in the database so all server processes share it.
    rateLimit: {
      enabled: true,
      storage: 'database',
      window: 60,
      max: 300,
      customRules: { '/sign-in/*': { window: 60, max: 60 } },
    },
    advanced: {
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
      // better-auth turns its Origin check off when NODE_ENV=test; keep it on everywhere, so the
      // tests and the e2e suite check the same thing production does.
      disableOriginCheck: false,
      // Secure cookies whenever the public URL is https (behind TLS); httpOnly + SameSite=Lax always.
      useSecureCookies: baseURL.startsWith('https://'),
      defaultCookieAttributes: { httpOnly: true, sameSite: 'lax' },
    },
    plugins: [admin({ ac, roles: authRoles, defaultRole: 'support', adminRoles: ['admin'] })],
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

export interface StaffSession {
  id: string;
  /** The session this request came with (absent for callers built in tests). */
  sessionId?: string;
  email: string;
  name: string;
  role: StaffRole;
}
