// The OpenAPI 3.1 document of the service API, generated from the same zod contracts the routes
// validate with (requests) and the serializers are typed against (responses): there is no second,
// hand-written copy of a shape. Served at GET /api/v1/openapi.json and rendered in Settings -> API.
import { z } from 'zod';
import { createCheckoutSessionBody } from '../contracts/checkout.ts';
import {
  accessCheckBody,
  externalId,
  idempotencyKey,
  reverseUsageBody,
  upsertCustomerBody,
  usageBody,
} from '../contracts/service-api.ts';
import {
  accessDecisionResponse,
  balanceResponse,
  checkoutSessionResponse,
  customerOverviewResponse,
  customerResponse,
  errorResponse,
  reverseUsageResponse,
  usageResponse,
} from '../contracts/service-api-responses.ts';
import { APP_ERROR_CODES, type AppErrorCode } from '../lib/app-error.ts';

type JsonSchema = Record<string, unknown>;
type Method = 'get' | 'put' | 'post';

interface Operation {
  method: Method;
  path: string;
  operationId: string;
  summary: string;
  description: string;
  params?: Array<{ name: string; description: string; schema: z.ZodType }>;
  body?: { schema: z.ZodType; example: unknown };
  response: { schema: z.ZodType; example: unknown };
  /** The error codes this operation can answer with, beyond 401 and 500 (which every one can). */
  errors: AppErrorCode[];
}

const ERROR_EXAMPLES: Partial<Record<AppErrorCode, { message: string; details?: unknown }>> = {
  VALIDATION: {
    message: 'Invalid request body: credits must be a whole number',
    details: [{ path: 'credits', message: 'must be a whole number' }],
  },
  UNAUTHORIZED: { message: 'Send a valid API key: Authorization: Bearer <key>' },
  INSUFFICIENT_CREDITS: { message: 'Not enough credits: 2 available, 5 needed', details: { available: 2, needed: 5 } },
  BLOCKED: { message: 'The customer is blocked' },
  NOT_ENTITLED: { message: 'The plan does not include "video"' },
  NOT_FOUND: { message: 'No customer with externalId "user_42"' },
  CONFLICT: { message: 'Idempotency key "req_1" was already used with a different request' },
  UNPROCESSABLE: { message: 'The pack "pack_1000" has no Stripe price mapped in the catalog' },
  STRIPE_ERROR: { message: 'Stripe refused to create the Checkout Session: …' },
  INTERNAL: { message: 'Internal error' },
};

const customerExample = {
  id: '7f0c4b1e-2a57-4c1e-9a7e-0d3c1f3f6c11',
  externalId: 'user_42',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  status: 'active',
  stripeCustomerId: 'cus_R2d2C3po',
  balance: 1200,
  createdAt: '2026-11-01T09:30:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
};

const externalIdParam = {
  name: 'externalId',
  description: "Your product's user id for the customer",
  schema: externalId,
};

export const SERVICE_API_OPERATIONS: Operation[] = [
  {
    method: 'put',
    path: '/customers/{externalId}',
    operationId: 'upsertCustomer',
    summary: 'Create or update a customer',
    description: 'Idempotent: creates the customer on first call, updates email and name afterwards.',
    params: [externalIdParam],
    body: { schema: upsertCustomerBody, example: { email: 'ada@example.com', name: 'Ada Lovelace' } },
    response: { schema: customerResponse, example: customerExample },
    errors: ['VALIDATION'],
  },
  {
    method: 'get',
    path: '/customers/{externalId}',
    operationId: 'getCustomer',
    summary: 'A customer with balance, plan and entitlements',
    description: 'What the customer may do now: each feature with its value, where it comes from and its credit cost.',
    params: [externalIdParam],
    response: {
      schema: customerOverviewResponse,
      example: {
        ...customerExample,
        available: 1100,
        plan: { key: 'pro', name: 'Pro' },
        entitlements: { chat: { value: true, source: 'plan', creditCost: 1 } },
      },
    },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'get',
    path: '/customers/{externalId}/balance',
    operationId: 'getBalance',
    summary: "A customer's credits and lots",
    description: 'The balance, what can be spent now, and the lots in the order usage draws them.',
    params: [externalIdParam],
    response: {
      schema: balanceResponse,
      example: {
        balance: 1200,
        available: 1100,
        lots: [
          {
            id: '0b5d7c2a-1f4e-4a8b-9c3d-2e1f0a9b8c7d',
            source: 'subscription_period',
            remaining: 1100,
            expiresAt: '2027-01-01T00:00:00.000Z',
            costBasis: 'paid',
            frozen: false,
          },
        ],
      },
    },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/access/check',
    operationId: 'checkAccess',
    summary: 'May this customer use a feature now?',
    description:
      'A read: nothing is charged. Refusals are answers (200 with allowed false and a reason), in the order ' +
      'support explains them: blocked, not entitled, not enough credits.',
    body: { schema: accessCheckBody, example: { customerId: 'user_42', feature: 'chat' } },
    response: { schema: accessDecisionResponse, example: { allowed: false, reason: 'insufficient_credits' } },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/usage',
    operationId: 'recordUsage',
    summary: 'Charge credits for one use of a feature',
    description:
      'Idempotent by idempotencyKey: retrying with the same key and body charges once and answers replayed true; ' +
      'the same key with a different body is a 409. Never overdraws: 402 when the spendable balance is short.',
    body: {
      schema: usageBody,
      example: {
        customerId: 'user_42',
        feature: 'chat',
        idempotencyKey: 'req_01HZX3',
        credits: 3,
        metadata: { model: 'gpt-5', resultReference: 'https://app.example.com/r/123' },
      },
    },
    response: {
      schema: usageResponse,
      example: { usageId: '9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f', credits: 3, balance: 1197, replayed: false },
    },
    errors: ['VALIDATION', 'INSUFFICIENT_CREDITS', 'BLOCKED', 'NOT_ENTITLED', 'NOT_FOUND', 'CONFLICT'],
  },
  {
    method: 'post',
    path: '/usage/{idempotencyKey}/reverse',
    operationId: 'reverseUsage',
    summary: 'Give back the credits of a failed use',
    description: 'Idempotent: reversing twice gives the credits back once (alreadyReversed true).',
    params: [{ name: 'idempotencyKey', description: 'The key the usage was recorded with', schema: idempotencyKey }],
    body: { schema: reverseUsageBody, example: { reason: 'video generation failed' } },
    response: {
      schema: reverseUsageResponse,
      example: {
        usageId: '9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f',
        credits: 3,
        balance: 1200,
        alreadyReversed: false,
        reversed: true,
      },
    },
    errors: ['VALIDATION', 'NOT_FOUND'],
  },
  {
    method: 'post',
    path: '/checkout-sessions',
    operationId: 'createCheckoutSession',
    summary: 'A hosted Stripe Checkout page for a pack or a plan',
    description: 'Give exactly one of pack or plan. Credits arrive through the Stripe webhook once the customer pays.',
    body: {
      schema: createCheckoutSessionBody,
      example: {
        customerId: 'user_42',
        pack: 'pack_1000',
        successUrl: 'https://app.example.com/billing/done',
        cancelUrl: 'https://app.example.com/billing',
      },
    },
    response: {
      schema: checkoutSessionResponse,
      example: { id: 'cs_test_a1b2c3', url: 'https://checkout.stripe.com/c/pay/cs_test_a1b2c3', mode: 'payment' },
    },
    errors: ['VALIDATION', 'BLOCKED', 'NOT_FOUND', 'UNPROCESSABLE', 'STRIPE_ERROR'],
  },
];

type Components = Record<string, JsonSchema>;

/**
 * Converts a contract to JSON Schema. Named schemas (`.meta({ id })`) come back from zod as $defs of
 * each converted schema; they are lifted into `components` and referenced from there.
 */
function jsonSchema(components: Components, schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const converted = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  const { $schema: _schema, $defs, ...rest } = converted as JsonSchema & { $defs?: Components };
  for (const [id, def] of Object.entries($defs ?? {})) components[id] = rewriteRefs(def);
  return rewriteRefs(rest);
}

function rewriteRefs<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
}

/** The error codes of one HTTP status, as the `code` values a client sees. */
function errorResponses(codes: AppErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, AppErrorCode[]>();
  for (const code of [...codes, 'UNAUTHORIZED', 'INTERNAL'] as AppErrorCode[]) {
    const status = APP_ERROR_CODES[code].http;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((c) => c.toLowerCase()).join(', '),
      content: {
        'application/json': {
          schema: { $ref: '#/components/schemas/ErrorResponse' },
          examples: Object.fromEntries(
            list.map((c) => [c.toLowerCase(), { value: { error: { code: c.toLowerCase(), ...ERROR_EXAMPLES[c] } } }]),
          ),
        },
      },
    };
  }
  return out;
}

let cached: JsonSchema | null = null;

export function serviceApiOpenApi(): JsonSchema {
  if (cached) return cached;
  const components: Components = {};
  // Every error answer refers to this one; no operation converts it itself.
  jsonSchema(components, errorResponse, 'output');
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of SERVICE_API_OPERATIONS) {
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.operationId,
      summary: op.summary,
      description: op.description,
      security: [{ bearerAuth: [] }],
      ...(op.params
        ? {
            parameters: op.params.map((p) => ({
              name: p.name,
              in: 'path',
              required: true,
              description: p.description,
              schema: jsonSchema(components, p.schema, 'input'),
            })),
          }
        : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(components, op.body.schema, 'input'),
                  example: op.body.example,
                },
              },
            },
          }
        : {}),
      responses: {
        '200': {
          description: op.summary,
          content: {
            'application/json': {
              schema: jsonSchema(components, op.response.schema, 'output'),
              example: op.response.example,
            },
          },
        },
        ...errorResponses(op.errors),
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Creditdesk service API',
      version: '1',
      description:
        "The API your product's backend calls to manage customers, check access and charge credits. " +
        'Versioning: only additive changes within v1 (new endpoints, new optional request fields, new response ' +
        'fields, new error codes for new situations); anything else is /api/v2.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'A service API key (Settings -> API)' },
      },
      schemas: components,
    },
  };
  return cached;
}
