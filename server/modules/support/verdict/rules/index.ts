// The verdict's rules, in the order their findings are shown when severities tie.
import type { Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { balanceBreakdown } from './balance-breakdown.ts';
import { blocked } from './blocked.ts';
import { failedEvent } from './failed-event.ts';
import { gracePeriod } from './grace-period.ts';
import { failedTopup } from './failed-topup.ts';
import { missingEvent } from './missing-event.ts';
import { openDispute } from './open-dispute.ts';
import { pendingPayment } from './pending-payment.ts';
import { staleSubscription } from './stale-subscription.ts';
import { unlinkedPayment } from './unlinked-payment.ts';

export type Rule = (history: CustomerHistory) => Finding[];

export const RULES: Rule[] = [
  blocked,
  missingEvent,
  unlinkedPayment,
  failedEvent,
  staleSubscription,
  pendingPayment,
  gracePeriod,
  failedTopup,
  openDispute,
  balanceBreakdown,
];
