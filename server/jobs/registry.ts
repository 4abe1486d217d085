// Every background job the server runs. Add a job: create server/jobs/<name>.ts exporting a
// JobDefinition (see job.ts and credit-expiry.ts) and append it here.
import { autoTopupJob } from './auto-topup.ts';
import { creditExpiryJob } from './credit-expiry.ts';
import { disputeRemindersJob } from './dispute-reminders.ts';
import { graceExpiryJob } from './grace-expiry.ts';
import type { JobDefinition } from './job.ts';
import { outboundDispatchJob } from './outbound-dispatch.ts';
import { radarBlockSyncJob } from './radar-block-sync.ts';
import { stripeEventRetryJob } from './stripe-event-retry.ts';
import { stripeReconciliationJob } from './stripe-reconciliation.ts';
import { subscriptionRereadJob } from './subscription-reread.ts';
import { webhookRejectionPruneJob } from './webhook-rejection-prune.ts';

// The handlers' data types differ; the runner only passes each its own queue's payloads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const JOBS: ReadonlyArray<JobDefinition<any>> = [
  creditExpiryJob,
  stripeEventRetryJob,
  graceExpiryJob,
  stripeReconciliationJob,
  disputeRemindersJob,
  radarBlockSyncJob,
  subscriptionRereadJob,
  webhookRejectionPruneJob,
  outboundDispatchJob,
  autoTopupJob,
];
