// The contract's status sets are the database's: a status added to a Prisma enum (or to the
// contract) without the other would be refused by one side or missing from the web's filters.
import { describe, expect, it } from 'vitest';
import {
  CustomerStatus,
  EventStatus,
  OutboundDeliveryStatus,
  PaymentStatus,
  RefundStatus,
} from '../generated/prisma/enums.ts';
import {
  CUSTOMER_STATUSES,
  EVENT_STATUSES,
  isOneOf,
  OUTBOUND_DELIVERY_STATUSES,
  PAYMENT_STATUSES,
  REFUND_STATUSES,
  REFUNDABLE_PAYMENT_STATUSES,
} from './statuses.ts';

const sorted = (values: readonly string[]) => [...values].sort();

describe('status sets', () => {
  it.each([
    ['customer', CUSTOMER_STATUSES, CustomerStatus],
    ['payment', PAYMENT_STATUSES, PaymentStatus],
    ['refund', REFUND_STATUSES, RefundStatus],
    ['stripe event', EVENT_STATUSES, EventStatus],
    ['outbound delivery', OUTBOUND_DELIVERY_STATUSES, OutboundDeliveryStatus],
  ] as const)('the %s statuses are the Prisma enum', (_name, contract, prismaEnum) => {
    expect(sorted(contract)).toEqual(sorted(Object.values(prismaEnum)));
  });

  it('a refundable payment is a payment status, and isOneOf reads a stored string', () => {
    for (const s of REFUNDABLE_PAYMENT_STATUSES) expect(isOneOf(PAYMENT_STATUSES, s)).toBe(true);
    expect(isOneOf(REFUNDABLE_PAYMENT_STATUSES, 'refunded')).toBe(false);
    expect(isOneOf(REFUNDABLE_PAYMENT_STATUSES, null)).toBe(false);
  });
});
