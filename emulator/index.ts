// The Stripe emulator: a local, stateful, Stripe-compatible HTTP server for development, demos
// and tests. Production code never imports this module tree (ESLint enforces it); the server
// loads it with a dynamic import only when STRIPE_SECRET_KEY is unset.
import type { AddressInfo } from 'node:net';
import { resolveConfig, type EmulatorOptions } from './config.ts';
import { forgetControlToken, registerControlToken } from './control/control-token.ts';
import { controlRouter } from './control/routes.ts';
import { Emulator } from './emulator.ts';
import type { ApiHandler } from './http/context.ts';
import { Router } from './http/router.ts';
import { createEmulatorServer } from './http/server.ts';
import './objects/render-hooks.ts';
import { loadState, persistState } from './persistence.ts';
import { registerChargeRoutes } from './routes/charges.ts';
import { registerCheckoutRoutes } from './routes/checkout-sessions.ts';
import { registerCustomerRoutes } from './routes/customers.ts';
import { registerDisputeRoutes } from './routes/disputes.ts';
import { registerEventRoutes } from './routes/events.ts';
import { registerFileRoutes } from './routes/files.ts';
import { registerInvoiceRoutes } from './routes/invoices.ts';
import { registerPaymentIntentRoutes } from './routes/payment-intents.ts';
import { registerPriceRoutes } from './routes/prices.ts';
import { registerProductRoutes } from './routes/products.ts';
import { registerRadarRoutes } from './routes/radar.ts';
import { registerRefundRoutes } from './routes/refunds.ts';
import { registerSubscriptionRoutes } from './routes/subscriptions.ts';
import { registerWebhookEndpointRoutes } from './routes/webhook-endpoints.ts';

export { API_VERSION, type EmulatorOptions } from './config.ts';
export { EmulatorDriver } from './driver.ts';
export type { Emulator } from './emulator.ts';

export interface RunningEmulator {
  /** e.g. http://127.0.0.1:54321 */
  url: string;
  host: string;
  port: number;
  emulator: Emulator;
  /** What control requests must carry (header Emulator-Control-Token; control/control-token.ts). */
  controlToken: string;
  /** Webhook signing secrets currently valid for an endpoint (the newest first). */
  webhookSecrets(endpointId: string): string[];
  stop(): Promise<void>;
}

export function apiRouter(): Router<ApiHandler> {
  const router = new Router<ApiHandler>();
  for (const register of [
    registerCustomerRoutes,
    registerProductRoutes,
    registerPriceRoutes,
    registerCheckoutRoutes,
    registerPaymentIntentRoutes,
    registerChargeRoutes,
    registerRefundRoutes,
    registerSubscriptionRoutes,
    registerInvoiceRoutes,
    registerDisputeRoutes,
    registerFileRoutes,
    registerEventRoutes,
    registerRadarRoutes,
    registerWebhookEndpointRoutes,
  ]) {
    register(router);
  }
  return router;
}

/** A reloaded state may come from a run on another port: point open sessions and files here. */
function rebaseUrls(emu: Emulator): void {
  for (const s of emu.store.all('checkout.session')) if (s.status === 'open') s.url = `${emu.baseUrl}/c/pay/${s.id}`;
  for (const f of emu.store.all('file')) f.url = `${emu.baseUrl}/v1/files/${f.id}/contents`;
}

export async function startStripeEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const config = resolveConfig(options);
  const emu = new Emulator(config);
  if (config.stateFile) {
    try {
      if (loadState(emu, config.stateFile))
        config.log.info({ file: config.stateFile, counts: emu.store.counts() }, 'stripe emulator: state loaded');
    } catch (err) {
      config.log.warn({ err, file: config.stateFile }, 'stripe emulator: state file unreadable; starting empty');
    }
  }
  const server = createEmulatorServer(emu, apiRouter(), controlRouter());
  // Clients (the SDK's agent, fetch) reuse idle sockets; a server that closes them first (Node's
  // default is 5 s) races them into ECONNRESET. Keep them longer than clients do.
  server.keepAliveTimeout = 75_000;
  server.headersTimeout = 76_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  emu.baseUrl = `http://${host}:${port}`;
  rebaseUrls(emu);
  registerControlToken(emu.baseUrl, config.controlToken);
  const stopPersisting = config.stateFile ? persistState(emu, config.stateFile) : () => {};
  return {
    url: emu.baseUrl,
    host: config.host,
    port,
    emulator: emu,
    controlToken: config.controlToken,
    webhookSecrets: (id) => emu.webhooks.activeSecrets(id),
    async stop() {
      forgetControlToken(emu.baseUrl);
      stopPersisting();
      emu.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
