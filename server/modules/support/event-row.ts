// A stored Stripe event as the support desk reads it (timeline and verdict).
export const EVENT_SELECT = {
  id: true,
  type: true,
  created: true,
  status: true,
  attempts: true,
  lastError: true,
  cause: true,
  causeDetail: true,
  nextAttemptAt: true,
  objectId: true,
  source: true,
  receivedAt: true,
  processedAt: true,
  customerId: true,
  payload: true,
} as const;

export interface EventRow {
  id: string;
  type: string;
  created: Date;
  status: string;
  attempts: number;
  lastError: string | null;
  cause: string | null;
  causeDetail: unknown;
  nextAttemptAt: Date | null;
  objectId: string | null;
  source: string;
  receivedAt: Date;
  processedAt: Date | null;
  customerId: string | null;
  payload: unknown;
}
