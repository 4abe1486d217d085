// A minimal Stripe API stand-in for tests that need Stripe to answer (reconciliation, fetching a
// missing event, re-reading a subscription, creating Checkout Sessions). It speaks the wire format
// the official SDK uses (form-encoded requests, JSON lists with has_more), and records every
// request so tests can assert what was sent. The full emulator lives in server/stripe-emulator.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import type { StripeConnection } from '../../server/deps.ts';
import { API_VERSION, uid } from './builders.ts';

type Obj = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  form: URLSearchParams;
  idempotencyKey: string | null;
}

export interface FakeStripe {
  connection(webhookSecrets: string[]): StripeConnection;
  events: Obj[];
  subscriptions: Map<string, Obj>;
  sessions: Obj[];
  invoices: Obj[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** Stripe's list semantics: newest first, created filters, limit, starting_after cursor. */
function list(items: Obj[], query: URLSearchParams, path: string) {
  const gte = query.get('created[gte]');
  const type = query.get('type');
  const status = query.get('status');
  let rows = [...items].sort((a, b) => (b.created as number) - (a.created as number));
  if (gte) rows = rows.filter((r) => (r.created as number) >= Number(gte));
  if (type) {
    const re = new RegExp(`^${type.replace(/\./g, '\\.').replace(/\*/g, '.*')}$`);
    rows = rows.filter((r) => re.test(r.type as string));
  }
  if (status) rows = rows.filter((r) => r.status === status);
  const after = query.get('starting_after');
  if (after) rows = rows.slice(rows.findIndex((r) => r.id === after) + 1);
  const limit = Number(query.get('limit') ?? 10);
  return { object: 'list', url: path, has_more: rows.length > limit, data: rows.slice(0, limit) };
}

export async function startFakeStripe(): Promise<FakeStripe> {
  const fake = {
    events: [] as Obj[],
    subscriptions: new Map<string, Obj>(),
    sessions: [] as Obj[],
    invoices: [] as Obj[],
    requests: [] as RecordedRequest[],
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const form = new URLSearchParams(await readBody(req));
    const key = req.headers['idempotency-key'];
    fake.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      form,
      idempotencyKey: typeof key === 'string' ? key : null,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': uid('req') });
      res.end(JSON.stringify(body));
    };
    const notFound = () =>
      send(404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: 'No such object' } });
    const p = url.pathname;
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && p === '/v1/events') return send(200, list(fake.events, url.searchParams, p));
    if (req.method === 'GET' && (m = /^\/v1\/events\/([^/]+)$/.exec(p))) {
      const e = fake.events.find((x) => x.id === m![1]);
      return e ? send(200, e) : notFound();
    }
    if (req.method === 'GET' && (m = /^\/v1\/subscriptions\/([^/]+)$/.exec(p))) {
      const s = fake.subscriptions.get(m[1] as string);
      return s ? send(200, s) : notFound();
    }
    if (req.method === 'GET' && p === '/v1/checkout/sessions')
      return send(200, list(fake.sessions, url.searchParams, p));
    if (req.method === 'GET' && p === '/v1/invoices') return send(200, list(fake.invoices, url.searchParams, p));
    if (req.method === 'GET' && (m = /^\/v1\/checkout\/sessions\/([^/]+)\/line_items$/.exec(p))) {
      const s = fake.sessions.find((x) => x.id === m![1]) as { line_items?: Obj } | undefined;
      return s?.line_items ? send(200, s.line_items) : notFound();
    }
    if (req.method === 'GET' && p === '/v1/refunds')
      return send(200, { object: 'list', url: p, has_more: false, data: [] });
    if (req.method === 'POST' && p === '/v1/customers') {
      return send(200, { id: uid('cus'), object: 'customer', email: form.get('email'), metadata: {} });
    }
    if (req.method === 'POST' && p === '/v1/checkout/sessions') {
      const id = uid('cs_test');
      return send(200, {
        id,
        object: 'checkout.session',
        mode: form.get('mode'),
        url: `https://checkout.example/${id}`,
      });
    }
    return notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    ...fake,
    connection(webhookSecrets) {
      const client = new Stripe('sk_test_fake_stripe', {
        apiVersion: API_VERSION,
        host: '127.0.0.1',
        port,
        protocol: 'http',
        maxNetworkRetries: 0,
      });
      return { client, mode: 'test', webhookSecrets };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
