// Aging an event (control endpoint): listing by `created` sees its new time, and past Stripe's
// 30 days it is neither listed nor retrievable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatorError } from './driver.ts';
import { startTestEmulator, type TestEmulator } from './testing.ts';

const DAY = 86_400;
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});
afterAll(() => t.stop());

async function customerCreatedEvent(email: string) {
  const customer = await t.stripe.customers.create({ email });
  const events = await t.stripe.events.list({ type: 'customer.created', limit: 100 });
  return events.data.find((e) => (e.data.object as { id: string }).id === customer.id)!;
}

describe('POST /_emulator/events/:id/age', () => {
  it('moves the event into the past, where created filters find it', async () => {
    const e = await customerCreatedEvent('week-old@example.com');
    const aged = await t.driver.ageEvent(e.id, 7 * DAY);
    expect(aged.created).toBe(e.created - 7 * DAY);
    expect((await t.stripe.events.retrieve(e.id)).created).toBe(e.created - 7 * DAY);
    const recent = await t.stripe.events.list({ created: { gte: e.created - 3 * DAY }, limit: 100 });
    expect(recent.data.map((x) => x.id)).not.toContain(e.id);
    const lastWeek = await t.stripe.events.list({ created: { lte: e.created - 6 * DAY }, limit: 100 });
    expect(lastWeek.data.map((x) => x.id)).toContain(e.id);
  });

  it('past 30 days the event is gone from the API', async () => {
    const e = await customerCreatedEvent('ancient@example.com');
    await t.driver.ageEvent(e.id, 40 * DAY);
    await expect(t.stripe.events.retrieve(e.id)).rejects.toMatchObject({ statusCode: 404 });
    expect((await t.stripe.events.list({ limit: 100 })).data.map((x) => x.id)).not.toContain(e.id);
  });

  it('refuses a negative or missing number of seconds', async () => {
    const e = await customerCreatedEvent('refused@example.com');
    await expect(t.driver.ageEvent(e.id, -1)).rejects.toBeInstanceOf(EmulatorError);
  });
});
