// The typed map from Stripe event type to its handler (one file per type). Types not listed here
// are stored as `ignored` and answered 200.
import type { HandlerMap } from '../../modules/stripe-events/event-handler.ts';
import chargeDisputeClosed from './charge.dispute.closed.ts';
import chargeDisputeCreated from './charge.dispute.created.ts';
import chargeDisputeFundsReinstated from './charge.dispute.funds_reinstated.ts';
import chargeDisputeFundsWithdrawn from './charge.dispute.funds_withdrawn.ts';
import chargeDisputeUpdated from './charge.dispute.updated.ts';
import chargeRefundUpdated from './charge.refund.updated.ts';
import chargeRefunded from './charge.refunded.ts';
import chargeSucceeded from './charge.succeeded.ts';
import checkoutSessionAsyncPaymentFailed from './checkout.session.async_payment_failed.ts';
import checkoutSessionAsyncPaymentSucceeded from './checkout.session.async_payment_succeeded.ts';
import checkoutSessionCompleted from './checkout.session.completed.ts';
import checkoutSessionExpired from './checkout.session.expired.ts';
import customerSubscriptionCreated from './customer.subscription.created.ts';
import customerSubscriptionDeleted from './customer.subscription.deleted.ts';
import customerSubscriptionPaused from './customer.subscription.paused.ts';
import customerSubscriptionResumed from './customer.subscription.resumed.ts';
import customerSubscriptionUpdated from './customer.subscription.updated.ts';
import invoicePaid from './invoice.paid.ts';
import invoicePaymentFailed from './invoice.payment_failed.ts';
import invoicePaymentSucceeded from './invoice.payment_succeeded.ts';
import invoicePaymentPaid from './invoice_payment.paid.ts';
import paymentIntentPaymentFailed from './payment_intent.payment_failed.ts';
import paymentIntentRequiresAction from './payment_intent.requires_action.ts';
import paymentIntentSucceeded from './payment_intent.succeeded.ts';
import radarEarlyFraudWarningCreated from './radar.early_fraud_warning.created.ts';
import radarEarlyFraudWarningUpdated from './radar.early_fraud_warning.updated.ts';
import refundCreated from './refund.created.ts';
import refundFailed from './refund.failed.ts';
import refundUpdated from './refund.updated.ts';

export const stripeHandlers = {
  'charge.dispute.closed': chargeDisputeClosed,
  'charge.dispute.created': chargeDisputeCreated,
  'charge.dispute.funds_reinstated': chargeDisputeFundsReinstated,
  'charge.dispute.funds_withdrawn': chargeDisputeFundsWithdrawn,
  'charge.dispute.updated': chargeDisputeUpdated,
  'charge.refund.updated': chargeRefundUpdated,
  'charge.refunded': chargeRefunded,
  'charge.succeeded': chargeSucceeded,
  'checkout.session.async_payment_failed': checkoutSessionAsyncPaymentFailed,
  'checkout.session.async_payment_succeeded': checkoutSessionAsyncPaymentSucceeded,
  'checkout.session.completed': checkoutSessionCompleted,
  'checkout.session.expired': checkoutSessionExpired,
  'customer.subscription.created': customerSubscriptionCreated,
  'customer.subscription.deleted': customerSubscriptionDeleted,
  'customer.subscription.paused': customerSubscriptionPaused,
  'customer.subscription.resumed': customerSubscriptionResumed,
  'customer.subscription.updated': customerSubscriptionUpdated,
  'invoice.paid': invoicePaid,
  'invoice.payment_failed': invoicePaymentFailed,
  'invoice.payment_succeeded': invoicePaymentSucceeded,
  'invoice_payment.paid': invoicePaymentPaid,
  'payment_intent.payment_failed': paymentIntentPaymentFailed,
  'payment_intent.requires_action': paymentIntentRequiresAction,
  'payment_intent.succeeded': paymentIntentSucceeded,
  'radar.early_fraud_warning.created': radarEarlyFraudWarningCreated,
  'radar.early_fraud_warning.updated': radarEarlyFraudWarningUpdated,
  'refund.created': refundCreated,
  'refund.failed': refundFailed,
  'refund.updated': refundUpdated,
} satisfies HandlerMap;

export type HandledEventType = keyof typeof stripeHandlers;
