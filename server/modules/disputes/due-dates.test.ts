// Evidence deadlines: the state and urgency of a dispute at any moment, the list's order
// (overdue first, then needing a response by deadline, then with the bank, then closed), the
// reminder job (once per dispute, audited), and the win rate from recorded outcomes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDeps, type TestContext } from '../../../test/deps.ts';
import type { Db } from '../../db/client.ts';
import { makeCustomer } from '../support/testing/history-builder.ts';
import { disputeDue } from './dispute-state.ts';
import { getDisputeStats } from './get-dispute-stats.ts';
import { listDisputes } from './list-disputes.ts';
import { sendDisputeReminders } from './send-dispute-reminders.ts';
import { DAY_MS, disputeRow, paidPurchase } from './testing/dispute-history.ts';

const HOUR = 3_600_000;
let t: TestContext;
let db: Db;

beforeAll(async () => {
  t = await createTestDeps();
  db = t.deps.prisma;
});
afterAll(() => t?.db.drop());

describe('disputeDue', () => {
  const now = new Date('2026-11-20T12:00:00Z');
  const at = (ms: number) => new Date(now.getTime() + ms);
  const base = { status: 'needs_response', stagedAt: null, submittedAt: null };

  it('counts down while a response is owed, coloured by how close the deadline is', () => {
    expect(disputeDue({ ...base, evidenceDueBy: at(5 * DAY_MS) }, now)).toEqual({
      state: 'needs_response',
      urgency: 'ok',
      msLeft: 5 * DAY_MS,
    });
    expect(disputeDue({ ...base, evidenceDueBy: at(48 * HOUR) }, now)).toMatchObject({ urgency: 'soon' });
    expect(disputeDue({ ...base, evidenceDueBy: at(3 * HOUR) }, now)).toMatchObject({ urgency: 'critical' });
    expect(disputeDue({ ...base, evidenceDueBy: at(-1) }, now)).toEqual({
      state: 'overdue',
      urgency: 'overdue',
      msLeft: -1,
    });
    expect(disputeDue({ ...base, evidenceDueBy: at(HOUR), stagedAt: now }, now)).toMatchObject({
      state: 'staged',
      urgency: 'critical',
    });
    expect(disputeDue({ ...base, status: 'warning_needs_response', evidenceDueBy: at(DAY_MS * 2) }, now).state).toBe(
      'needs_response',
    );
  });

  it('stops counting once answered or closed, and without a deadline', () => {
    expect(disputeDue({ ...base, evidenceDueBy: at(-DAY_MS), submittedAt: now }, now)).toEqual({
      state: 'submitted',
      urgency: 'none',
      msLeft: null,
    });
    expect(disputeDue({ ...base, status: 'under_review', evidenceDueBy: at(DAY_MS) }, now).state).toBe('submitted');
    expect(disputeDue({ ...base, status: 'won', evidenceDueBy: at(-DAY_MS) }, now).state).toBe('won');
    expect(disputeDue({ ...base, status: 'lost', evidenceDueBy: null }, now).state).toBe('lost');
    expect(disputeDue({ ...base, status: 'warning_closed', evidenceDueBy: null }, now).state).toBe('closed');
    expect(disputeDue({ ...base, evidenceDueBy: new Date(0) }, now)).toEqual({
      state: 'needs_response',
      urgency: 'none',
      msLeft: null,
    });
  });
});

describe('the list, reminders and the win rate', () => {
  it('lists overdue first, then by deadline, then under review, then closed; reminds each once', async () => {
    const now = new Date();
    const c = await makeCustomer(db, { email: 'due@example.com' });
    const mk = async (
      opened: number,
      extra: { status?: string; dueBy?: Date | null; stagedAt?: Date | null; submittedAt?: Date | null },
    ) => {
      const p = await paidPurchase(db, {
        customerId: c.id,
        paidAt: new Date(now.getTime() - 30 * DAY_MS),
        withLot: false,
      });
      return disputeRow(db, {
        paymentId: p.id,
        customerId: c.id,
        chargeId: p.chargeId!,
        openedAt: new Date(now.getTime() - opened * DAY_MS),
        ...extra,
      });
    };
    const later = await mk(1, { dueBy: new Date(now.getTime() + 6 * DAY_MS) });
    const won = await mk(20, { status: 'won', dueBy: null });
    const overdue = await mk(8, { dueBy: new Date(now.getTime() - HOUR) });
    const review = await mk(5, { status: 'under_review', submittedAt: new Date(now.getTime() - DAY_MS) });
    const soon = await mk(6, { dueBy: new Date(now.getTime() + 20 * HOUR), stagedAt: now });
    const lost = await mk(15, { status: 'lost', dueBy: null });

    const all = await listDisputes(db, { filter: 'all', q: 'due@example.com' }, { now });
    expect(all.items.map((d) => d.id)).toEqual([overdue.id, soon.id, later.id, review.id, lost.id, won.id]);
    expect(all.items.map((d) => d.due.state)).toEqual([
      'overdue',
      'staged',
      'needs_response',
      'submitted',
      'lost',
      'won',
    ]);
    expect(all.items.map((d) => d.due.urgency)).toEqual(['overdue', 'critical', 'ok', 'none', 'none', 'none']);
    expect(all.total).toBe(6);
    expect(all.items[0]!.customer?.email).toBe('due@example.com');

    const open = await listDisputes(db, { filter: 'open', q: 'due@example.com' }, { now });
    expect(open.items.map((d) => d.id)).toEqual([overdue.id, soon.id, later.id, review.id]);
    expect(
      (await listDisputes(db, { filter: 'overdue', q: 'due@example.com' }, { now })).items.map((d) => d.id),
    ).toEqual([overdue.id]);
    expect(
      (await listDisputes(db, { filter: 'needs_response', q: 'due@example.com' }, { now })).items.map((d) => d.id),
    ).toEqual([overdue.id, soon.id, later.id]);
    expect((await listDisputes(db, { filter: 'closed', q: 'due@example.com' }, { now })).total).toBe(2);
    const page1 = await listDisputes(db, { filter: 'all', q: 'due@example.com', limit: 4 }, { now });
    expect(page1.nextCursor).not.toBeNull();
    const page2 = await listDisputes(
      db,
      { filter: 'all', q: 'due@example.com', limit: 4, cursor: page1.nextCursor },
      { now },
    );
    expect(page2.items.map((d) => d.id)).toEqual([lost.id, won.id]);
    expect(page2.nextCursor).toBeNull();
    expect((await listDisputes(db, { filter: 'all', q: soon.chargeId }, { now })).items.map((d) => d.id)).toEqual([
      soon.id,
    ]);

    // Reminders: the overdue one and the one due within 48 h, once each; not the one due in 6 days.
    const sent = await sendDisputeReminders(db, { now });
    expect(sent.map((s) => [s.disputeId, s.state]).sort()).toEqual(
      [
        [overdue.id, 'overdue'],
        [soon.id, 'staged'],
      ].sort(),
    );
    expect(await sendDisputeReminders(db, { now })).toEqual([]);
    const audits = await db.auditLog.findMany({ where: { action: 'dispute.reminder', customerId: c.id } });
    expect(audits.map((a) => a.targetId).sort()).toEqual([overdue.id, soon.id].sort());
    expect(audits.find((a) => a.targetId === soon.id)?.reason).toContain('staged but not submitted');
    expect(audits[0]?.actorId).toBe('system:dispute-reminders');
    expect((await db.dispute.findUniqueOrThrow({ where: { id: later.id } })).remindedAt).toBeNull();
    // Two days later the remaining one is reminded too.
    const next = await sendDisputeReminders(db, { now: new Date(now.getTime() + 5 * DAY_MS) });
    expect(next.map((s) => s.disputeId)).toEqual([later.id]);

    const stats = await getDisputeStats(db, {}, { now });
    expect(stats.counts).toMatchObject({ overdue: 1, needs_response: 2, under_review: 1, won: 1, lost: 1 });
    expect(stats.decided).toBe(2);
    expect(stats.winRatePercent).toBe(50);
    expect(stats.amounts.won).toEqual({ eur: 900 });
    expect((await getDisputeStats(db, { days: 10 }, { now })).winRatePercent).toBeNull();
  });
});
