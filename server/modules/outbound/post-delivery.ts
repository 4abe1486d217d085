// One HTTP attempt: signed POST, 5 s timeout (a slow endpoint cannot stall the queue), redirects
// not followed (a 3xx is a failure that says so), at most 1 KB of the response body kept.
import type { OutboundEnvelope } from '../../contracts/outbound.ts';
import type { AppError } from '../../lib/app-error.ts';
import { checkEndpointUrl, type EndpointUrlPolicy } from './endpoint-url.ts';
import { SIGNATURE_HEADER, signPayload } from './sign-payload.ts';

const DELIVERY_TIMEOUT_MS = 5_000;
const EXCERPT_CHARS = 1_000;

export interface AttemptResult {
  ok: boolean;
  responseCode: number | null;
  durationMs: number;
  excerpt: string | null;
  error: string | null;
}

export interface PostOptions {
  policy: EndpointUrlPolicy;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Signature timestamp clock. */
  now?: Date;
}

export async function postDelivery(
  endpoint: { url: string; secret: string },
  envelope: OutboundEnvelope,
  options: PostOptions,
): Promise<AttemptResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  try {
    await checkEndpointUrl(endpoint.url, options.policy);
  } catch (err) {
    return { ok: false, responseCode: null, durationMs: elapsed(), excerpt: null, error: (err as AppError).message };
  }
  const body = JSON.stringify(envelope);
  const timestamp = Math.floor((options.now ?? new Date()).getTime() / 1000);
  try {
    const res = await (options.fetch ?? fetch)(endpoint.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Creditdesk-Webhooks/1',
        [SIGNATURE_HEADER]: signPayload(endpoint.secret, body, timestamp),
        'Creditdesk-Event-Id': envelope.id,
        'Creditdesk-Event-Type': envelope.type,
      },
      body,
    });
    const excerpt = (await res.text().catch(() => '')).slice(0, EXCERPT_CHARS) || null;
    const ok = res.status >= 200 && res.status < 300;
    let error: string | null = null;
    if (res.status >= 300 && res.status < 400) {
      error = `Redirects are not followed: the endpoint answered ${res.status}${res.headers.get('location') ? ` to ${res.headers.get('location')}` : ''}; register the final URL`;
    } else if (!ok) error = `The endpoint answered ${res.status}`;
    return { ok, responseCode: res.status, durationMs: elapsed(), excerpt, error };
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    return {
      ok: false,
      responseCode: null,
      durationMs: elapsed(),
      excerpt: null,
      error: timedOut
        ? `No answer within ${(options.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000} s (timed out)`
        : `Could not connect: ${(e.cause as Error | undefined)?.message ?? e.message}`,
    };
  }
}
