// Staff authentication (better-auth): email + password sessions in our own database.
// Public sign-up is off: staff are created by admins (or the demo seed) through createStaffUser.
import { betterAuth } from 'better-auth';
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
}

export function createAuth({ prisma, secret, baseURL }: AuthOptions) {
  return betterAuth({
    database: prismaAdapter(prisma, { provider: 'postgresql' }),
    secret,
    baseURL,
    basePath: '/api/auth',
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 10 },
    session: { expiresIn: 60 * 60 * 12, updateAge: 60 * 60 },
    // Failed-login limiting is ours (server/http/login-limiter.ts): it counts failures only, so a
    // busy support floor behind one NAT is never locked out by its own successful sign-ins.
    rateLimit: { enabled: false },
    advanced: {
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
  email: string;
  name: string;
  role: StaffRole;
}
