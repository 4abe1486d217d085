// Support's "reprocess": run a stored event's handler again after fixing its cause (mapped a price,
// linked a customer). Safe on an already processed event: every effect is keyed on its Stripe
// object, so a second run replays. The attempt and its result are audited.
import type { Actor } from '../../lib/actor.ts';
import { AppError } from '../../lib/app-error.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { processEvent, type PipelineContext, type ProcessResult } from './process-event.ts';

export async function reprocessEvent(
  ctx: PipelineContext,
  input: { eventId: string; actor: Actor; reason?: string | null },
): Promise<ProcessResult> {
  const before = await ctx.prisma.stripeEvent.findUnique({
    where: { id: input.eventId },
    select: { status: true, lastError: true, attempts: true },
  });
  if (!before) throw new AppError('NOT_FOUND', `No stored Stripe event ${input.eventId}`);
  const result = await processEvent(ctx, input.eventId, { force: true, actorId: input.actor.id });
  const after = await ctx.prisma.stripeEvent.findUniqueOrThrow({
    where: { id: input.eventId },
    select: { customerId: true },
  });
  await recordAudit(ctx.prisma, {
    actor: input.actor,
    action: 'stripe_event.reprocess',
    targetType: 'stripe_event',
    targetId: input.eventId,
    customerId: after.customerId,
    before,
    after: { status: result.status, summary: result.summary ?? null, error: result.error ?? null },
    reason: input.reason ?? null,
  });
  return result;
}
