// The typed client of the Creditdesk service API. No runtime dependencies beyond `fetch`.
//
//   const creditdesk = new Creditdesk({ apiKey: process.env.CREDITDESK_KEY!, baseUrl: 'https://billing.example.com' });
//   const decision = await creditdesk.access.check({ customerId: 'user_42', feature: 'chat' });
//   await creditdesk.usage.record({ customerId: 'user_42', feature: 'chat', credits: 3 });
//
// Retries: calls that are safe to repeat (reads, upserts, usage with its idempotency key,
// reversals) are retried on network errors and 5xx answers, with the SAME idempotency key, so a
// dropped connection after the server charged never charges twice. Checkout sessions are not retried.
import { ConnectionError, CreditdeskError, errorFromResponse, ServerError } from './errors.ts';
import type {
  AccessDecision,
  Balance,
  CheckAccessRequest,
  CheckoutSession,
  CreateCheckoutSessionRequest,
  Customer,
  CustomerOverview,
  RecordUsageRequest,
  ReverseUsageRequest,
  UpsertCustomerRequest,
  Usage,
  UsageReversal,
} from './types.ts';

export * from './errors.ts';
export * from './signature.ts';
export type * from './types.ts';

export interface CreditdeskOptions {
  apiKey: string;
  /** Where Creditdesk runs, e.g. https://billing.example.com (the /api/v1 prefix is added). */
  baseUrl: string;
  /** Retries after the first attempt for retry-safe calls. Default 2. */
  maxRetries?: number;
  /** Per-attempt timeout in milliseconds. Default 10,000. */
  timeoutMs?: number;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof fetch;
}

/** A usage whose idempotency key may be left out: the client then makes one (and reuses it on retry). */
export type RecordUsageInput = Omit<RecordUsageRequest, 'idempotencyKey'> & { idempotencyKey?: string };

type Method = 'GET' | 'PUT' | 'POST';

export class Creditdesk {
  readonly #apiKey: string;
  readonly #baseUrl: string;
  readonly #maxRetries: number;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: CreditdeskOptions) {
    if (!options.apiKey) throw new TypeError('Creditdesk: apiKey is required');
    if (!options.baseUrl) throw new TypeError('Creditdesk: baseUrl is required');
    this.#apiKey = options.apiKey;
    this.#baseUrl = options.baseUrl.replace(/\/+$/, '') + '/api/v1';
    this.#maxRetries = options.maxRetries ?? 2;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  readonly customers = {
    upsert: (externalId: string, body: UpsertCustomerRequest) =>
      this.#call<Customer>('PUT', `/customers/${encodeURIComponent(externalId)}`, body, true),
    get: (externalId: string) =>
      this.#call<CustomerOverview>('GET', `/customers/${encodeURIComponent(externalId)}`, undefined, true),
    balance: (externalId: string) =>
      this.#call<Balance>('GET', `/customers/${encodeURIComponent(externalId)}/balance`, undefined, true),
  };

  readonly access = {
    /** A read: refusals are answers (`allowed: false` with a reason), not errors. */
    check: (body: CheckAccessRequest) => this.#call<AccessDecision>('POST', '/access/check', body, true),
  };

  readonly usage = {
    /** Charges once per idempotency key, however many times the request is retried. */
    record: (input: RecordUsageInput) => {
      const body: RecordUsageRequest = { ...input, idempotencyKey: input.idempotencyKey ?? crypto.randomUUID() };
      return this.#call<Usage>('POST', '/usage', body, true);
    },
    reverse: (idempotencyKey: string, body: ReverseUsageRequest) =>
      this.#call<UsageReversal>('POST', `/usage/${encodeURIComponent(idempotencyKey)}/reverse`, body, true),
  };

  readonly checkoutSessions = {
    create: (body: CreateCheckoutSessionRequest) =>
      this.#call<CheckoutSession>('POST', '/checkout-sessions', body, false),
  };

  async #call<T>(method: Method, path: string, body: unknown, retrySafe: boolean): Promise<T> {
    const attempts = retrySafe ? this.#maxRetries + 1 : 1;
    let last: CreditdeskError | undefined;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      if (attempt > 0) await sleep(backoffMs(attempt));
      try {
        return await this.#once<T>(method, path, body);
      } catch (err) {
        if (!(err instanceof ConnectionError || err instanceof ServerError)) throw err;
        last = err;
      }
    }
    throw last ?? new ConnectionError('No attempt was made', 0, 'connection');
  }

  async #once<T>(method: Method, path: string, body: unknown): Promise<T> {
    let response: Response;
    try {
      response = await this.#fetch(this.#baseUrl + path, {
        method,
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      throw new ConnectionError(`Could not reach Creditdesk: ${(err as Error).message}`, 0, 'connection');
    }
    let json: unknown = null;
    try {
      json = await response.json();
    } catch (err) {
      if (response.ok) throw new ConnectionError(`Incomplete answer: ${(err as Error).message}`, 0, 'connection');
    }
    if (!response.ok) throw errorFromResponse(response.status, json);
    return json as T;
  }
}

/** 200 ms, 400 ms, 800 ms … with jitter, capped at 5 s. */
function backoffMs(attempt: number): number {
  const base = Math.min(5000, 100 * 2 ** attempt);
  return base / 2 + Math.random() * (base / 2);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
