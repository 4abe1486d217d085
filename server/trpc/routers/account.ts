// The signed-in staff member's own account (any role): today, changing their password.
import { TRPCError } from '@trpc/server';
import { changePasswordInput } from '../../contracts/staff.ts';
import { LoginLimiter } from '../../http/login-limiter.ts';
import { isAppError } from '../../lib/app-error.ts';
import { changeOwnPassword, WRONG_CURRENT_PASSWORD } from '../../modules/staff/change-own-password.ts';
import { router, staffProcedure } from '../init.ts';

export const accountRouter = router({
  changePassword: staffProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    // A wrong current password is a password guess like a failed sign-in, counted by the same
    // limiter: a stolen session cannot be used to try passwords at full speed.
    const { env, prisma, auth } = ctx.deps;
    const limiter = new LoginLimiter(prisma, env.LOGIN_MAX_FAILURES, env.LOGIN_WINDOW_SECONDS);
    const attempt = await limiter.begin(ctx.ip ?? 'unknown', ctx.user.email);
    if (attempt.refused) {
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many wrong passwords. Try again in ${attempt.retryAfterSeconds} s.`,
      });
    }
    try {
      const result = await changeOwnPassword(prisma, auth, ctx.actor, ctx.user.sessionId, input);
      await limiter.succeeded(attempt.ticket);
      return result;
    } catch (err) {
      const details = isAppError(err) ? (err.details as { reason?: string } | undefined) : undefined;
      if (details?.reason !== WRONG_CURRENT_PASSWORD) await limiter.succeeded(attempt.ticket);
      throw err;
    }
  }),
});
