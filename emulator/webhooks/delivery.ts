// A webhook delivery as the emulator records it: one per (event, endpoint), with every attempt,
// like the event's page in Stripe's Dashboard.

export interface DeliveryAttempt {
  number: number;
  started_at: number;
  duration_ms: number | null;
  http_status: number | null;
  succeeded: boolean;
  error: string | null;
  fault: string | null;
  response_body: string | null;
  duplicate: boolean;
  manual: boolean;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'suppressed';

export interface Delivery {
  id: string;
  object: 'webhook_delivery';
  event: string;
  event_type: string;
  endpoint: string;
  url: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  /** Unix milliseconds of the next scheduled attempt (real time), or null. */
  next_attempt_at: number | null;
  created: number;
}
