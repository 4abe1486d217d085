// The one initTRPC. Procedure tiers are built from small middlewares; every procedure the router
// exposes uses one of them, and the role-matrix test walks the router to keep it so.
import { zodProblemWords } from '../contracts/zod-problems.ts';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError } from 'zod';
import type { StaffRole } from '../auth.ts';
import { APP_ERROR_CODES, isAppError } from '../lib/app-error.ts';
import type { Actor } from '../lib/actor.ts';
import '../contracts/superjson-setup.ts';
import type { Context } from './context.ts';

export interface Meta {
  /** Roles allowed; admin is always allowed. Set by the tier, read by the role-matrix test. */
  roles?: readonly StaffRole[] | 'public';
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        // Stack traces never leave the server.
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          appCode: isAppError(cause) ? cause.code : null,
          details: isAppError(cause) ? (cause.details ?? null) : null,
          fieldErrors: cause instanceof ZodError ? cause.flatten().fieldErrors : null,
        },
        // A refused input in words (its JSON issue list is no message for a person); per field in fieldErrors.
        message:
          cause instanceof ZodError
            ? zodProblemWords(cause)
            : error.code === 'INTERNAL_SERVER_ERROR' && !isAppError(cause)
              ? 'Internal error'
              : shape.message,
      };
    },
  });

/** Module errors (AppError) become the matching tRPC error, keeping their message. */
const mapAppErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) {
    const cause = result.error.cause;
    return {
      ...result,
      error: new TRPCError({ code: APP_ERROR_CODES[cause.code].trpc, message: cause.message, cause }),
    };
  }
  return result;
});

function requireRoles(roles: readonly StaffRole[]) {
  return t.middleware(({ ctx, next }) => {
    if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue' });
    if (ctx.user.role !== 'admin' && !roles.includes(ctx.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role` });
    }
    const actor: Actor = { type: 'staff', id: ctx.user.id, email: ctx.user.email, role: ctx.user.role, ip: ctx.ip };
    return next({ ctx: { ...ctx, user: ctx.user, actor } });
  });
}

const base = t.procedure.use(mapAppErrors);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = base.meta({ roles: 'public' });
/** Any signed-in staff member. */
export const staffProcedure = base
  .meta({ roles: ['support', 'finance', 'admin'] })
  .use(requireRoles(['support', 'finance', 'admin']));
/** Support desk repairs: support and admin (finance sees but does not repair tickets). */
export const supportProcedure = base.meta({ roles: ['support', 'admin'] }).use(requireRoles(['support', 'admin']));
export const financeProcedure = base.meta({ roles: ['finance', 'admin'] }).use(requireRoles(['finance', 'admin']));
export const adminProcedure = base.meta({ roles: ['admin'] }).use(requireRoles(['admin']));
