// POST /api/stripe/webhook: verify, store, answer, apply. Registered in its own encapsulated
// context whose only body parser hands the raw bytes over untouched, because the signature is
// computed over the exact bytes Stripe sent; the rest of the app keeps Fastify's JSON parser.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../deps.ts';
import type { HandlerMap } from '../modules/stripe-events/event-handler.ts';
import { ingestEvent } from '../modules/stripe-events/ingest-event.ts';
import { processEvent, storeAndProcessEvent } from '../modules/stripe-events/process-event.ts';
import {
  recordWebhookRejection,
  type WebhookRejectionReason,
} from '../modules/stripe-events/record-webhook-rejection.ts';
import { STRIPE_EVENT_RETRY_JOB } from '../jobs/stripe-event-retry.ts';
import { stripeHandlers } from './handlers/index.ts';
import { metrics } from '../lib/metrics.ts';
import { pipelineContext, webhookSecrets } from './pipeline.ts';
import { verifyStripeSignature } from './verify-signature.ts';

const STRIPE_WEBHOOK_PATH = '/api/stripe/webhook';

export interface StripeWebhookOptions {
  deps: Deps;
  /** Defaults to the production handler map; tests wrap it to inject failures. */
  handlers?: HandlerMap;
}

const MESSAGES: Record<WebhookRejectionReason, string> = {
  wrong_content_type: 'Expected Content-Type: application/json',
  empty_body: 'Empty request body',
  missing_signature: 'Missing Stripe-Signature header',
  bad_signature: 'No signature matches any configured webhook secret',
  stale_timestamp: 'Signature timestamp is outside the tolerance window',
  malformed_json: 'Body is not valid JSON',
  malformed_event: 'Body is not a Stripe snapshot event',
  not_configured: 'No Stripe webhook secret is configured',
  malformed_request: 'The request could not be read (Content-Type or body malformed)',
  body_too_large: 'Request body over the size limit',
};

function isSnapshotEvent(value: unknown): value is {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  api_version?: string | null;
  data: { object: { id?: unknown } };
} {
  const v = value as Record<string, unknown> | null;
  const data = v?.data as Record<string, unknown> | undefined;
  return (
    !!v &&
    typeof v.id === 'string' &&
    v.id.startsWith('evt_') &&
    typeof v.type === 'string' &&
    typeof v.created === 'number' &&
    typeof v.livemode === 'boolean' &&
    !!data &&
    typeof data.object === 'object' &&
    data.object !== null
  );
}

export async function stripeWebhookRoutes(app: FastifyInstance, options: StripeWebhookOptions): Promise<void> {
  const { deps } = options;
  const handlers = options.handlers ?? stripeHandlers;

  // A 5xx makes Stripe retry later (the event was not stored, or its arrival not fully recorded);
  // details stay in our log, never in the answer.
  app.setErrorHandler(async (err: FastifyError, req, reply) => {
    // Fastify's own refusals before our handler ran (an unparsable Content-Type, a body over the
    // limit) are the sender's fault: counted and answered 4xx, never a 500 that invites retries.
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return status === 413 ? reject(req, reply, 'body_too_large', 413) : reject(req, reply, 'malformed_request');
    }
    req.log.error({ err }, 'stripe webhook failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error; Stripe will retry' } });
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  async function reject(req: FastifyRequest, reply: FastifyReply, reason: WebhookRejectionReason, status = 400) {
    await recordWebhookRejection(deps.prisma, { reason, ip: req.ip ?? null });
    metrics.webhookRejected(reason);
    req.log.warn({ reason, ip: req.ip }, 'stripe webhook rejected');
    // 503 for our own misconfiguration, so Stripe keeps retrying until it is fixed.
    return reply
      .code(reason === 'not_configured' ? 503 : status)
      .send({ error: { code: 'webhook_rejected', reason, message: MESSAGES[reason] } });
  }

  app.post(STRIPE_WEBHOOK_PATH, async (req, reply) => {
    const started = performance.now();
    const contentType = String(req.headers['content-type'] ?? '')
      .split(';')[0]
      ?.trim()
      .toLowerCase();
    if (contentType !== 'application/json') return reject(req, reply, 'wrong_content_type');
    const raw = req.body;
    if (!Buffer.isBuffer(raw) || raw.length === 0) return reject(req, reply, 'empty_body');
    const header = req.headers['stripe-signature'];
    if (typeof header !== 'string' || header.length === 0) return reject(req, reply, 'missing_signature');
    const secrets = webhookSecrets(deps);
    if (secrets.length === 0) return reject(req, reply, 'not_configured');

    const verified = verifyStripeSignature(raw, header, secrets);
    if (!verified.ok) return reject(req, reply, verified.reason);
    const event: unknown = verified.event;
    if (!isSnapshotEvent(event)) return reject(req, reply, 'malformed_event');

    const rawJson = raw.toString('utf8');
    const objectId = typeof event.data.object.id === 'string' ? event.data.object.id : null;
    const handled = Object.hasOwn(handlers, event.type);
    // Per request: the Stripe connection may be attached after the app was built (the emulator
    // needs the app's address before it can deliver to it).
    // Logged under this request's id (req.log): the inline attempt's lines carry it.
    const ctx = { ...pipelineContext(deps, handlers), log: req.log };
    // Durable first: the 2xx below is only reached once the event row has committed. A first
    // arrival of a handled event is stored and applied in one transaction; anything that cannot be
    // (see storeAndProcessEvent) is stored here and applied below, in two steps.
    const input = {
      event,
      rawJson,
      objectId,
      handled,
      source: 'webhook' as const,
      elapsedMs: performance.now() - started,
      requestId: req.id,
    };
    const once = handled ? await storeAndProcessEvent(ctx, { ...input, payload: event }, started) : null;
    const stored = once?.stored ?? (await ingestEvent(deps.prisma, input));

    let status = once?.done ? once.status : stored.status;
    // Stripe API work left for the background job (or an inline attempt that crashed): wake the
    // job now, after the event's state has committed, instead of waiting for its next minute.
    let wake = once?.wake ?? false;
    if (!once?.done && handled && (status === 'received' || status === 'deferred' || status === null)) {
      try {
        const result = await processEvent(ctx, event.id, {
          delivery: { id: stored.deliveryId, startedAt: started },
          // The answer depends only on our database: Stripe API work goes to the background job.
          inline: true,
          duplicate: stored.duplicate,
          // A first arrival is exactly what we just stored; a duplicate is read back (support
          // may have linked a customer to it meanwhile).
          ...(stored.duplicate
            ? {}
            : {
                stored: {
                  id: event.id,
                  type: event.type,
                  created: new Date(event.created * 1000),
                  livemode: event.livemode,
                  customerId: null,
                  payload: event,
                  status: 'received' as const,
                },
              }),
        });
        status = result.status;
        wake = result.status === 'deferred' && result.cause?.code === 'stripe_call_pending';
      } catch (err) {
        // Stored but not applied: the retry sweep picks it up; Stripe still gets its 2xx.
        req.log.error({ err, eventId: event.id }, 'inline processing of stripe event failed');
        wake = true;
      }
    }
    if (wake) deps.jobs?.wake(STRIPE_EVENT_RETRY_JOB);
    metrics.webhookDelivery(event.type, stored.duplicate ? 'duplicate' : (status ?? 'received'));
    return reply.code(200).send({ received: true, eventId: event.id, duplicate: stored.duplicate, status });
  });
}
