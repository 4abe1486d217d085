// The emulator's HTTP server: /v1 (Stripe's API), /_emulator (control + dashboard),
// /c/pay/:id (hosted Checkout), file contents and simple receipt/invoice pages.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { ControlHandler } from '../control/context.ts';
import { checkoutFormToken, CONTROL_TOKEN_HEADER, tokenMatches } from '../control/control-token.ts';
import type { Emulator } from '../emulator.ts';
import { payCheckoutSession } from '../flows/checkout.ts';
import { isPayOutcome, renderCheckoutPage, successRedirect } from '../pages/checkout-page.ts';
import { renderDashboard } from '../pages/dashboard.ts';
import { esc, money, page } from '../pages/html.ts';
import { StripeApiError } from '../wire/errors.ts';
import { parseForm } from '../wire/form.ts';
import { handleApi } from './api.ts';
import type { ApiHandler } from './context.ts';
import type { Router } from './router.ts';

const MAX_BODY = 16 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(html) });
  res.end(html);
}

async function handleControl(
  emu: Emulator,
  router: Router<ControlHandler>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  if (req.method === 'GET' && (url.pathname === '/_emulator' || url.pathname === '/_emulator/')) {
    return sendHtml(res, 200, renderDashboard(emu));
  }
  // Only the app may drive the emulator (control/control-token.ts): no token, no action, and a
  // body must be JSON, so neither a cross-site form nor a text/plain "simple request" gets through.
  if (!tokenMatches(emu.config.controlToken, req.headers[CONTROL_TOKEN_HEADER])) {
    return sendJson(res, 403, {
      error: {
        type: 'invalid_request_error',
        code: 'control_token_required',
        message: `Control endpoints accept only requests from the app that started the emulator (header ${CONTROL_TOKEN_HEADER}).`,
      },
    });
  }
  const contentType = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (body.length && contentType !== 'application/json') {
    return sendJson(res, 415, {
      error: {
        type: 'invalid_request_error',
        message: 'Control endpoints take a JSON body (Content-Type: application/json).',
      },
    });
  }
  const match = router.match(req.method ?? 'GET', url.pathname);
  if (!match)
    return sendJson(res, 404, {
      error: { type: 'invalid_request_error', message: `No control endpoint ${req.method} ${url.pathname}` },
    });
  let parsed: Record<string, unknown> = {};
  if (body.length) {
    try {
      parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    } catch {
      return sendJson(res, 400, {
        error: { type: 'invalid_request_error', message: 'Control endpoints take a JSON body.' },
      });
    }
  }
  try {
    const result = await match.handler({ emu, body: parsed ?? {}, query: url.searchParams, path: match.params });
    sendJson(res, 200, result);
  } catch (err) {
    if (err instanceof StripeApiError) return sendJson(res, err.status, err.toJSON());
    emu.config.log.error({ err, path: url.pathname }, 'stripe emulator: control endpoint crashed');
    sendJson(res, 500, { error: { type: 'api_error', message: (err as Error).message } });
  }
}

function handleCheckoutPage(emu: Emulator, req: IncomingMessage, res: ServerResponse, id: string, body: Buffer): void {
  const session = emu.store.get('checkout.session', id);
  if (!session)
    return sendHtml(
      res,
      404,
      page('Checkout', '<div class="card"><h1>Something went wrong</h1><p>This checkout link is not valid.</p></div>'),
    );
  if (req.method !== 'POST') return sendHtml(res, 200, renderCheckoutPage(emu, session));
  const form = parseForm(body.toString('utf8'));
  // Only this page's own form pays: it carries a token derived from the session id and the
  // emulator's secret, which a page on another site cannot read.
  if (!tokenMatches(checkoutFormToken(emu.config.controlToken, id), form.form_token)) {
    return sendHtml(
      res,
      403,
      renderCheckoutPage(
        emu,
        session,
        'This payment did not come from this checkout page. Reload the page and pay again.',
      ),
    );
  }
  const outcome = form.outcome;
  if (!isPayOutcome(outcome)) return sendHtml(res, 400, renderCheckoutPage(emu, session, 'Choose a payment method.'));
  try {
    const result = payCheckoutSession(emu, id, outcome, {
      email: typeof form.email === 'string' && form.email ? form.email : undefined,
      name: typeof form.name === 'string' && form.name ? form.name : undefined,
    });
    if (result.error) return sendHtml(res, 402, renderCheckoutPage(emu, session, result.error));
    const to = successRedirect(session);
    if (to) {
      res.writeHead(303, { location: to });
      res.end();
      return;
    }
    sendHtml(res, 200, renderCheckoutPage(emu, session));
  } catch (err) {
    if (err instanceof StripeApiError) return sendHtml(res, err.status, renderCheckoutPage(emu, session, err.message));
    throw err;
  }
}

function handleFileContents(emu: Emulator, res: ServerResponse, id: string): void {
  const file = emu.store.files.get(id);
  if (!file)
    return sendJson(res, 404, {
      error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such file upload: '${id}'` },
    });
  res.writeHead(200, { 'content-type': file.contentType, 'content-length': file.data.length });
  res.end(file.data);
}

function handleReceipt(emu: Emulator, res: ServerResponse, kind: 'receipts' | 'invoices', id: string): void {
  if (kind === 'receipts') {
    const ch = emu.store.get('charge', id);
    if (!ch) return sendHtml(res, 404, page('Receipt', '<p>Not found.</p>'));
    return sendHtml(
      res,
      200,
      page(
        'Receipt',
        `<div class="card"><h1>Receipt</h1><p>${esc(money(ch.amount, ch.currency))} · ${esc(ch.status)}</p><p class="muted">${esc(ch.id)}</p></div>`,
      ),
    );
  }
  const inv = emu.store.get('invoice', id);
  if (!inv) return sendHtml(res, 404, page('Invoice', '<p>Not found.</p>'));
  return sendHtml(
    res,
    200,
    page(
      'Invoice',
      `<div class="card"><h1>Invoice ${esc(inv.number)}</h1><p>${esc(money(inv.total, inv.currency))} · ${esc(inv.status)}</p></div>`,
    ),
  );
}

export function createEmulatorServer(emu: Emulator, api: Router<ApiHandler>, control: Router<ControlHandler>): Server {
  return createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://emulator.local');
      const body = await readBody(req);
      const path = url.pathname;
      const contents = /^\/v1\/files\/([^/]+)\/contents$/.exec(path);
      if (contents && req.method === 'GET') return handleFileContents(emu, res, contents[1] as string);
      if (path.startsWith('/v1/')) return handleApi(emu, api, req, res, url, body);
      if (path === '/_emulator' || path.startsWith('/_emulator/'))
        return handleControl(emu, control, req, res, url, body);
      const pay = /^\/c\/pay\/([^/]+)$/.exec(path);
      if (pay) return handleCheckoutPage(emu, req, res, decodeURIComponent(pay[1] as string), body);
      const doc = /^\/(receipts|invoices)\/([^/]+)$/.exec(path);
      if (doc) return handleReceipt(emu, res, doc[1] as 'receipts' | 'invoices', doc[2] as string);
      if (path === '/') {
        res.writeHead(302, { location: '/_emulator' });
        res.end();
        return;
      }
      sendJson(res, 404, {
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${req.method}: ${path}).` },
      });
    })().catch((err: unknown) => {
      emu.config.log.error({ err }, 'stripe emulator: request failed');
      if (!res.headersSent) sendJson(res, 500, { error: { type: 'api_error', message: 'An unknown error occurred' } });
      else res.end();
    });
  });
}
