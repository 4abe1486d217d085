// Reminds staff of dispute evidence deadlines: once per dispute, when less than 48 hours are left
// (or the deadline passed without a submission). The reminder is an audit record on the dispute.
import { sendDisputeReminders } from '../modules/disputes/send-dispute-reminders.ts';
import { defineJob } from './job.ts';

export const disputeRemindersJob = defineJob<Record<string, never>>({
  name: 'dispute-reminders',
  description: 'Remind staff of dispute evidence due within 48 hours or past due (every 15 minutes)',
  schedule: { cron: '*/15 * * * *' },
  queue: { policy: 'singleton', retryLimit: 3, retryDelay: 60, expireInSeconds: 10 * 60 },
  async handler({ deps }) {
    const sent = await sendDisputeReminders(deps.prisma);
    if (sent.length) deps.log.warn({ sent }, 'dispute evidence deadlines approaching');
    return { reminded: sent.length };
  },
});
