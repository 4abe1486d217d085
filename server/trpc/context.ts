import type { FastifyReply, FastifyRequest } from 'fastify';
import { isStaffRole, SESSION_ABSOLUTE_LIFETIME_MS, type StaffSession } from '../auth.ts';
import type { Deps } from '../deps.ts';

export interface Context {
  deps: Deps;
  user: StaffSession | null;
  ip: string | null;
}

/** Tests build contexts directly: no HTTP, no cookies. */
export function createContextInner(deps: Deps, user: StaffSession | null, ip: string | null = null): Context {
  return { deps, user, ip };
}

export async function resolveStaffSession(
  deps: Deps,
  headers: FastifyRequest['headers'],
): Promise<StaffSession | null> {
  const h = new Headers();
  for (const [key, value] of Object.entries(headers)) {
    if (typeof value === 'string') h.set(key, value);
    else if (Array.isArray(value)) h.set(key, value.join(', '));
  }
  const session = await deps.auth.api.getSession({ headers: h });
  if (!session) return null;
  const { user } = session;
  // better-auth slides expiry on use; a session also ends a fixed time after sign-in.
  if (Date.now() - new Date(session.session.createdAt).getTime() > SESSION_ABSOLUTE_LIFETIME_MS) {
    await deps.prisma.session.deleteMany({ where: { id: session.session.id } });
    return null;
  }
  // A user without one of our roles (or a banned one, which better-auth refuses anyway) has no access.
  if (!isStaffRole(user.role) || user.banned) return null;
  return { id: user.id, sessionId: session.session.id, email: user.email, name: user.name, role: user.role };
}

export function contextFactory(deps: Deps) {
  return async ({ req }: { req: FastifyRequest; res: FastifyReply }): Promise<Context> =>
    createContextInner(deps, await resolveStaffSession(deps, req.headers), req.ip);
}
