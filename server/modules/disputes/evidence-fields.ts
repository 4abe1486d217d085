// The Stripe text evidence fields, written from the assembled facts in words a bank reviewer
// reads: who, what was bought, that it was used (how much, when, from where), the policies, and
// the earlier payments nobody disputed. Staff can edit every field before staging.
import {
  EVIDENCE_TEXT_FIELDS,
  EVIDENCE_TEXT_FIELD_NAMES,
  type EvidenceFacts,
  type EvidenceFields,
  type EvidenceUsageLine,
} from '../../contracts/disputes.ts';
import { clip, credits, money, plural } from './evidence-words.ts';
import { dateTime, day } from '../../contracts/date-words.ts';

export function usageText(u: EvidenceUsageLine): string {
  return [
    dateTime(u.at),
    `${u.feature}${u.operation ? ` ${u.operation}` : ''}`,
    u.model && `model ${u.model}`,
    `${credits(u.credits)} credits`,
    u.resultReference && `result ${u.resultReference}`,
    u.clientIp && `IP ${u.clientIp}`,
    u.userAgent && `device ${u.userAgent}`,
    u.status === 'reversed' ? 'REVERSED (credits returned)' : null,
  ]
    .filter(Boolean)
    .join(' | ');
}

function accessLog(f: EvidenceFacts): string {
  const head = [
    `Account ${f.customer.externalId} (${f.customer.email}) created ${dateTime(f.customer.accountCreatedAt)}.`,
    `Purchase paid ${dateTime(f.purchase.paidAt ?? f.dispute.openedAt)}` +
      (f.purchase.purchaseIp ? ` from IP ${f.purchase.purchaseIp}` : '') +
      (f.purchase.purchaseUserAgent ? ` (device ${f.purchase.purchaseUserAgent})` : '') +
      '.',
  ];
  const where = f.access.map(
    (a) =>
      `${a.ip ?? 'unknown IP'}${a.userAgent ? ` / ${a.userAgent}` : ''}: ${plural(a.requests, 'request')} ` +
      `from ${dateTime(a.firstAt)} to ${dateTime(a.lastAt)}`,
  );
  const uses = f.usage.lines.map(usageText);
  return [
    ...head,
    where.length ? `\nThe account was used from:\n${where.join('\n')}` : '',
    uses.length
      ? `\n${f.usage.scope === 'lot' ? 'Requests paid with the disputed purchase' : 'Requests since the purchase'} ` +
        `(${plural(f.usage.requests, 'request')}):\n${uses.join('\n')}` +
        (f.usage.omitted ? `\n... and ${plural(f.usage.omitted, 'more request')} listed in the attached PDF.` : '')
      : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function summary(f: EvidenceFacts): string {
  const name = f.customer.name ? `${f.customer.name} (${f.customer.email})` : f.customer.email;
  const used =
    f.usage.requests > 0
      ? `Between ${day(f.service.firstUseAt!)} and ${day(f.service.lastUseAt!)} the customer made ` +
        `${plural(f.usage.requests, 'request')} using ${credits(f.usage.credits)} of the ` +
        `${credits(f.purchase.creditsGranted)} credits bought; every request is listed with its time, ` +
        `operation and result reference${f.access.length ? ', and the IP address and device it came from,' : ''} in the attached PDF.`
      : 'No use of the purchased credits was recorded before the dispute.';
  const prior = f.priorPayments.length
    ? `The same customer made ${plural(f.priorPayments.length, 'earlier payment')} that ` +
      `${f.priorPayments.length === 1 ? 'was' : 'were'} not disputed: ` +
      f.priorPayments
        .slice(0, 5)
        .map((p) => `${money(p.amount, p.currency)} on ${day(p.paidAt!)}${p.chargeId ? ` (${p.chargeId})` : ''}`)
        .join(', ') +
      '.'
    : '';
  return [
    `${name} created their account on ${day(f.customer.accountCreatedAt)} and paid ` +
      `${money(f.purchase.amount, f.purchase.currency)} on ${day(f.purchase.paidAt!)} ` +
      `(${f.purchase.chargeId ?? f.purchase.paymentId}) for digital credits that are delivered instantly to the account.`,
    used,
    prior,
    f.visaCe3.eligible ? `Visa Compelling Evidence 3.0: ${f.visaCe3.note}` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function cancellationRebuttal(f: EvidenceFacts): string {
  if (f.dispute.reason !== 'subscription_canceled') return '';
  return (
    'The customer did not cancel before the period was charged' +
    (f.service.lastUseAt ? ` and kept using the service until ${day(f.service.lastUseAt)}` : '') +
    '. ' +
    (f.policies.cancellation ? 'Our cancellation policy is quoted in the cancellation policy disclosure.' : '')
  ).trim();
}

function refundRefusal(f: EvidenceFacts): string {
  if (!['credit_not_processed', 'product_unacceptable', 'general'].includes(f.dispute.reason)) return '';
  return (
    `The credits were delivered and ${credits(f.usage.credits)} of ${credits(f.purchase.creditsGranted)} were used ` +
    `(${plural(f.usage.requests, 'request')}). ` +
    (f.policies.refund ? 'Used credits are not refundable under the refund policy quoted in this evidence.' : '')
  ).trim();
}

/** The text fields as assembled, each within Stripe's per-field limit. */
export function buildEvidenceFields(f: EvidenceFacts): EvidenceFields {
  const raw: EvidenceFields = {
    customer_name: f.customer.name ?? f.customer.email,
    customer_email_address: f.customer.email,
    customer_purchase_ip: f.purchase.purchaseIp ?? '',
    service_date:
      f.service.firstUseAt && f.service.lastUseAt
        ? `Purchased ${day(f.purchase.paidAt!)}; credits used from ${day(f.service.firstUseAt)} to ${day(f.service.lastUseAt)}`
        : `Purchased and delivered ${day(f.purchase.paidAt!)}`,
    product_description: f.productDescription,
    access_activity_log: accessLog(f),
    refund_policy_disclosure: f.policies.refund,
    cancellation_policy_disclosure: f.policies.cancellation,
    cancellation_rebuttal: cancellationRebuttal(f),
    refund_refusal_explanation: refundRefusal(f),
    uncategorized_text: summary(f),
  };
  return Object.fromEntries(
    EVIDENCE_TEXT_FIELD_NAMES.map((k) => [k, clip(raw[k], EVIDENCE_TEXT_FIELDS[k].max)]),
  ) as EvidenceFields;
}
