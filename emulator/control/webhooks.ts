// Control endpoints for webhook trouble and delivery: faults, the deliveries list, flushing,
// waiting for idle, resending events, and webhook secret roll-over.
import { newWebhookSecret } from '../ids.ts';
import type { ApiFaultSpec, WebhookFaultSpec } from '../webhooks/faults.ts';
import { invalidRequest } from '../wire/errors.ts';
import { oneOf, optBool, optNumber, optString, type ControlHandler } from './context.ts';
import type { Router } from '../http/router.ts';

function cleanFault(
  body: Record<string, unknown>,
): (WebhookFaultSpec & { target?: 'webhook' }) | (ApiFaultSpec & { target: 'api' }) {
  const target = oneOf(body, 'target', ['webhook', 'api'] as const, 'webhook');
  if (target === 'api') {
    const match = body.match as ApiFaultSpec['match'] | undefined;
    if (!match || typeof match.path !== 'string')
      throw invalidRequest('API faults need match.path (e.g. "/v1/refunds")', 'match');
    return {
      target,
      match,
      latency_ms: optNumber(body, 'latency_ms'),
      fail: body.fail as ApiFaultSpec['fail'],
      times: optNumber(body, 'times'),
    };
  }
  const spec: WebhookFaultSpec & { target: 'webhook' } = {
    target,
    match: (body.match as WebhookFaultSpec['match']) ?? {},
    drop_first: optNumber(body, 'drop_first'),
    delay_seconds: optNumber(body, 'delay_seconds'),
    duplicate: optNumber(body, 'duplicate'),
    reorder: optNumber(body, 'reorder'),
    reorder_window_seconds: optNumber(body, 'reorder_window_seconds'),
    down: optBool(body, 'down'),
    respond_slowly: optNumber(body, 'respond_slowly'),
    suppress: optBool(body, 'suppress'),
  };
  const m = spec.match ?? {};
  if (spec.reorder && (m.event || m.type || m.object))
    throw invalidRequest('reorder applies to a whole endpoint; match.endpoint only', 'reorder');
  return spec;
}

export function registerWebhookControls(r: Router<ControlHandler>): void {
  r.get('/_emulator/faults', ({ emu }) => ({ data: emu.faults.all() }));
  r.post('/_emulator/faults', ({ emu, body }) => emu.faults.add(cleanFault(body)));
  r.delete('/_emulator/faults/:id', ({ emu, path }) => ({ deleted: emu.faults.remove(path.id as string) }));
  r.delete('/_emulator/faults', ({ emu }) => {
    emu.faults.clear();
    return { ok: true };
  });

  r.get('/_emulator/deliveries', ({ emu, query }) => ({
    data: emu.webhooks.list({
      event: query.get('event') ?? undefined,
      endpoint: query.get('endpoint') ?? undefined,
      status: query.get('status') ?? undefined,
      type: query.get('type') ?? undefined,
    }),
  }));
  r.post('/_emulator/deliveries/flush', async ({ emu, body }) => {
    let flushed = 0;
    // Retries that fail again schedule new retries; keep flushing until nothing is left, unless
    // `once` (one attempt for each waiting delivery, e.g. when the endpoint just came up).
    const rounds = optBool(body, 'once') ? 1 : 20;
    for (let round = 0; round < rounds; round++) {
      const n = emu.webhooks.flush();
      flushed += n;
      await emu.webhooks.waitForIdle(false, optNumber(body, 'timeout_ms') ?? 15_000);
      if (n === 0) break;
    }
    return { flushed, idle: emu.webhooks.isIdle(true) };
  });
  r.post('/_emulator/deliveries/wait', async ({ emu, body }) => ({
    idle: await emu.webhooks.waitForIdle(
      optBool(body, 'include_scheduled') ?? false,
      optNumber(body, 'timeout_ms') ?? 15_000,
    ),
  }));
  r.post('/_emulator/events/:id/resend', ({ emu, body, path }) => {
    emu.store.require('event', path.id as string);
    return { data: emu.webhooks.resend(path.id as string, optString(body, 'endpoint')) };
  });

  r.get('/_emulator/webhook_endpoints/:id/secrets', ({ emu, path }) => {
    emu.store.require('webhook_endpoint', path.id as string);
    return { secrets: emu.webhooks.activeSecrets(path.id as string) };
  });
  r.post('/_emulator/webhook_endpoints/:id/roll_secret', ({ emu, body, path }) => {
    emu.store.require('webhook_endpoint', path.id as string);
    const keepOld = optNumber(body, 'expire_old_in_seconds') ?? 86_400;
    const now = emu.now();
    const secrets = (emu.store.webhookSecrets.get(path.id as string) ?? []).map((s) => ({
      secret: s.secret,
      expiresAt: s.expiresAt === null ? now + keepOld : s.expiresAt,
    }));
    const secret = newWebhookSecret();
    emu.store.webhookSecrets.set(path.id as string, [{ secret, expiresAt: null }, ...secrets]);
    emu.store.touch();
    return { secret, secrets: emu.webhooks.activeSecrets(path.id as string) };
  });
}
