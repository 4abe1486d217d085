// The /v1 request pipeline: API key, params (query, form or multipart), Idempotency-Key
// replay, injected API faults, the route, and Stripe's response headers and error envelope.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { API_VERSION } from '../config.ts';
import type { Emulator } from '../emulator.ts';
import { newRequestId } from '../ids.ts';
import { authenticationError, StripeApiError, unrecognizedUrl } from '../wire/errors.ts';
import { parseForm, type FormObject } from '../wire/form.ts';
import { fingerprint } from '../wire/idempotency.ts';
import { parseMultipart, type UploadedFile } from '../wire/multipart.ts';
import type { ApiHandler } from './context.ts';
import type { Router } from './router.ts';

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function apiKeyOf(req: IncomingMessage): string | StripeApiError {
  const auth = req.headers.authorization;
  if (!auth) {
    return authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  let key = '';
  if (/^bearer /i.test(auth)) key = auth.slice(7).trim();
  else if (/^basic /i.test(auth)) key = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[0] ?? '';
  if (!/^(sk|rk)_(test|live)_\w+/.test(key)) {
    return authenticationError(
      `Invalid API Key provided: ${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`,
    );
  }
  return key;
}

function parseParams(req: IncomingMessage, url: URL, body: Buffer): { raw: FormObject; files: UploadedFile[] } {
  const query = parseForm(url.search.slice(1));
  if (req.method === 'GET' || req.method === 'DELETE') return { raw: query, files: [] };
  const type = req.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    const { params, files } = parseMultipart(body, type);
    return { raw: { ...query, ...params }, files };
  }
  return { raw: { ...query, ...parseForm(body.toString('utf8')) }, files: [] };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function handleApi(
  emu: Emulator,
  router: Router<ApiHandler>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const method = req.method ?? 'GET';
  const requestId = newRequestId();
  const headers: Record<string, string> = {
    'request-id': requestId,
    'stripe-version': String(req.headers['stripe-version'] ?? API_VERSION),
    'access-control-allow-origin': '*',
  };
  const fail = (err: StripeApiError): void => send(res, err.status, JSON.stringify(err.toJSON(), null, 2), headers);

  const apiKey = apiKeyOf(req);
  if (apiKey instanceof StripeApiError) return fail(apiKey);

  const match = router.match(method, url.pathname);
  if (!match) return fail(unrecognizedUrl(method, url.pathname));

  const { raw, files } = parseParams(req, url, body);
  const keyHeader = req.headers['idempotency-key'];
  const idemKey = method === 'POST' && typeof keyHeader === 'string' && keyHeader ? keyHeader : null;
  if (idemKey) {
    headers['idempotency-key'] = idemKey;
    const begin = emu.idempotency.begin(apiKey, idemKey, fingerprint(method, url.pathname, { raw, files }));
    if (begin.kind === 'error') return fail(begin.error);
    if (begin.kind === 'replay') {
      return send(res, begin.status, begin.body, { ...headers, 'idempotent-replayed': 'true' });
    }
  }

  const faults = emu.faults.forRequest(method, url.pathname);
  const latency = Math.max(0, ...faults.map((f) => f.latency_ms ?? 0));
  if (latency) await sleep(latency);
  const injected = faults.find((f) => f.fail)?.fail;
  const injectedError = injected
    ? new StripeApiError(injected.status ?? 500, {
        type: (injected.type as StripeApiError['body']['type'] | undefined) ?? 'api_error',
        message: injected.message ?? 'An unknown error occurred (injected by the Stripe emulator).',
      })
    : null;
  if (injectedError && !injected?.after_processing) {
    if (idemKey) emu.idempotency.forget(apiKey, idemKey);
    return fail(injectedError);
  }

  let status = 200;
  let payload: string;
  try {
    const result = await match.handler({
      emu,
      raw,
      files,
      path: match.params,
      origin: { id: requestId, idempotency_key: idemKey },
    });
    payload = JSON.stringify(result, null, 2);
  } catch (err) {
    if (err instanceof StripeApiError) {
      status = err.status;
      payload = JSON.stringify(err.toJSON(), null, 2);
      if (err.beforeExecution && idemKey) {
        emu.idempotency.forget(apiKey, idemKey);
        return send(res, status, payload, headers);
      }
    } else {
      emu.config.log.error({ err, path: url.pathname }, 'stripe emulator: route crashed');
      status = 500;
      payload = JSON.stringify({ error: { type: 'api_error', message: 'An unknown error occurred' } }, null, 2);
    }
  }
  if (idemKey) emu.idempotency.complete(apiKey, idemKey, status, payload);
  if (injectedError) return fail(injectedError);
  send(res, status, payload, headers);
}
