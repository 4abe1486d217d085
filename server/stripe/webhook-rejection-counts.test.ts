// Refused webhook requests are counted, not stored one row each: a flood of forged requests
// against the real route leaves a bounded number of rows with exact counts, and the daily job
// prunes counters past their retention.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkoutSession, event, unix } from '../../test/stripe/builders.ts';
import { createWebhookHarness, type WebhookHarness } from '../../test/stripe/harness.ts';
import { webhookRejectionPruneJob } from '../jobs/webhook-rejection-prune.ts';
import { getWebhookHealth } from '../modules/stripe-events/get-webhook-health.ts';
import {
  recordWebhookRejection,
  rejectionHour,
  WEBHOOK_REJECTION_RETENTION_DAYS,
} from '../modules/stripe-events/record-webhook-rejection.ts';

let h: WebhookHarness;
beforeAll(async () => {
  h = await createWebhookHarness();
});
afterAll(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const forged = () =>
  h.deliver(event('checkout.session.completed', checkoutSession({ userId: 'u_flood', kind: 'pack', key: 'starter' })), {
    header: `t=${unix(Date.now())},v1=${'ab'.repeat(32)}`,
  });

describe('webhook rejection counters', () => {
  it('500 bad-signature requests (50 at a time) make at most one row per hour, counting exactly 500', async () => {
    const started = new Date();
    for (let batch = 0; batch < 10; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, forged));
      expect(answers.every((a) => a.statusCode === 400)).toBe(true);
    }
    // Plus two of another kind: a separate counter.
    for (let i = 0; i < 2; i++) {
      const res = await h.deliver({}, { contentType: 'text/plain', body: 'x=1' });
      expect(res.statusCode).toBe(400);
    }
    const rows = await h.prisma.webhookRejectionCount.findMany({ orderBy: [{ hour: 'asc' }, { reason: 'asc' }] });
    // The burst may straddle an hour boundary: one or two rows per reason, never one per request.
    const hours = new Set([rejectionHour(started).getTime(), rejectionHour(new Date()).getTime()]);
    expect(rows.length).toBeLessThanOrEqual(2 * hours.size);
    const sum = (reason: string) => rows.filter((r) => r.reason === reason).reduce((n, r) => n + r.count, 0);
    expect(sum('bad_signature')).toBe(500);
    expect(sum('wrong_content_type')).toBe(2);
    for (const r of rows) {
      expect(hours.has(r.hour.getTime())).toBe(true);
      expect(r.firstAt.getTime()).toBeLessThanOrEqual(r.lastAt.getTime());
      expect(r.lastIp).toBeTruthy();
    }
    expect(await h.prisma.stripeEvent.count()).toBe(0);

    const health = await getWebhookHealth(h.prisma, { since: new Date(started.getTime() - 60_000) });
    expect(health.rejections.total).toBe(502);
    expect(health.rejections.byReason).toEqual({ bad_signature: 500, wrong_content_type: 2 });
    expect(health.since.getTime()).toBe(rejectionHour(new Date(started.getTime() - 60_000)).getTime());
    expect(health.rejections.lastAt).not.toBeNull();
  });

  it('the prune job deletes counters past the retention and keeps the rest', async () => {
    const now = Date.now();
    const old = new Date(now - (WEBHOOK_REJECTION_RETENTION_DAYS + 1) * DAY);
    const oldest = new Date(now - 90 * DAY);
    const recent = new Date(now - (WEBHOOK_REJECTION_RETENTION_DAYS - 1) * DAY);
    for (const at of [old, old, oldest, recent]) {
      await recordWebhookRejection(h.prisma, { reason: 'stale_timestamp', ip: '10.1.1.1', at });
    }
    expect(await h.prisma.webhookRejectionCount.count({ where: { reason: 'stale_timestamp' } })).toBe(3);
    const before = await h.prisma.webhookRejectionCount.count();

    const result = await webhookRejectionPruneJob.handler({ deps: h.t.deps, data: {}, id: 'test', retryCount: 0 });
    expect(result).toEqual({ deleted: 2 });
    const left = await h.prisma.webhookRejectionCount.findMany({ where: { reason: 'stale_timestamp' } });
    expect(left.map((r) => r.hour.getTime())).toEqual([rejectionHour(recent).getTime()]);
    expect(await h.prisma.webhookRejectionCount.count()).toBe(before - 2);
    // Idempotent: a second run finds nothing to delete.
    expect(await webhookRejectionPruneJob.handler({ deps: h.t.deps, data: {}, id: 'test', retryCount: 1 })).toEqual({
      deleted: 0,
    });
  });
});
