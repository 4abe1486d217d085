// A blocked customer can use nothing: say why, since when, and what unblocking takes.
import type { Evidence, Finding } from '../../../../contracts/support.ts';
import type { CustomerHistory } from '../history.ts';
import { date, objectEvidence } from '../words.ts';

const OPEN_DISPUTE = new Set(['warning_needs_response', 'needs_response', 'under_review', 'warning_under_review']);

export function blocked(h: CustomerHistory): Finding[] {
  if (h.customer.status !== 'blocked') return [];
  const lastBlock = h.blocks.find((b) => b.action === 'block');
  const since = h.customer.blockedAt ?? lastBlock?.createdAt ?? null;
  const reason = h.customer.blockedReason ?? lastBlock?.reason ?? 'no reason recorded';
  const windowStart = h.now.getTime() - h.rules.autoBlockWindowDays * 86_400_000;
  const recent = h.disputes.filter((d) => d.stripeCreated.getTime() >= windowStart);
  const open = h.disputes.filter((d) => OPEN_DISPUTE.has(d.status));
  const byRule = lastBlock?.actorId === 'system';
  const evidence: Evidence[] = [
    ...(lastBlock ? [{ kind: 'block' as const, id: lastBlock.id, label: 'block record' }] : []),
    ...recent.slice(0, 6).map((d) => objectEvidence(d.id)),
  ];
  const requirements = [
    'a finance or admin member presses “Unblock the customer” here (or Unblock on the Blocks page), with a reason',
    open.length ? `the ${open.length} open dispute${open.length === 1 ? '' : 's'} should be answered first` : null,
    byRule && recent.length > h.rules.autoBlockDisputes
      ? `the auto-block rule (more than ${h.rules.autoBlockDisputes} disputes in ${h.rules.autoBlockWindowDays} days) still matches, so unblocking is a deliberate override`
      : null,
  ].filter(Boolean);
  return [
    {
      rule: 'blocked',
      severity: 'critical',
      title: `Blocked${since ? ` since ${date(since)}` : ''}: ${reason}`,
      explanation:
        `${byRule ? 'The auto-block rule' : 'A staff member'} blocked this customer${since ? ` on ${date(since)}` : ''} (“${reason}”). ` +
        `${recent.length} dispute${recent.length === 1 ? '' : 's'} in the last ${h.rules.autoBlockWindowDays} days. ` +
        'While blocked, every feature is refused and no credits can be spent. ' +
        `Unblocking requires: ${requirements.join('; ')}.`,
      evidence,
      repairs: [
        {
          kind: 'unblock',
          label: 'Unblock the customer',
          effect:
            'Lifts the block at once: features and credits work again. The block history keeps both records, and the auto-block rule leaves the customer alone until a new dispute arrives.',
        },
      ],
    },
  ];
}
