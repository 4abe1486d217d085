// The service API's routes: thin adapters from HTTP to one module call each.
import type { FastifyInstance } from 'fastify';
import {
  accessCheckBody,
  externalId,
  idempotencyKey,
  reverseUsageBody,
  upsertCustomerBody,
  usageBody,
} from '../contracts/service-api.ts';
import type { Deps } from '../deps.ts';
import { ensureCustomer } from '../modules/customers/ensure-customer.ts';
import { getCustomerByExternalId } from '../modules/customers/find-customer.ts';
import { getCustomerOverview } from '../modules/customers/get-customer-overview.ts';
import type { CatalogSnapshot } from '../modules/catalog/catalog-snapshot.ts';
import { checkAccessByExternalId } from '../modules/entitlements/check-access.ts';
import { getBalanceByExternalId } from '../modules/ledger/get-balance.ts';
import { recordUsage } from '../modules/ledger/record-usage.ts';
import { reverseUsage } from '../modules/ledger/reverse-usage.ts';
import { serviceActor } from './authenticate.ts';
import { parseInput } from './errors.ts';
import { balanceJson, customerJson, customerOverviewJson } from './serialize.ts';
import { z } from 'zod';

const customerParams = z.strictObject({ externalId });
const usageParams = z.strictObject({ idempotencyKey });

/** `catalog`: the catalog the hot paths read (kept in memory by the caller). */
export function registerRoutes(api: FastifyInstance, deps: Deps, catalog: () => Promise<CatalogSnapshot>): void {
  const db = deps.prisma;

  api.put('/customers/:externalId', async (request) => {
    const params = parseInput(customerParams, request.params, 'path');
    const body = parseInput(upsertCustomerBody, request.body);
    const customer = await ensureCustomer(db, { externalId: params.externalId, email: body.email, name: body.name });
    return customerJson(customer);
  });

  api.get('/customers/:externalId', async (request) => {
    const params = parseInput(customerParams, request.params, 'path');
    const customer = await getCustomerByExternalId(db, params.externalId);
    return customerOverviewJson(await getCustomerOverview(db, customer));
  });

  api.get('/customers/:externalId/balance', async (request) => {
    const params = parseInput(customerParams, request.params, 'path');
    return balanceJson(await getBalanceByExternalId(db, params.externalId));
  });

  api.post('/access/check', async (request) => {
    const body = parseInput(accessCheckBody, request.body);
    return checkAccessByExternalId(
      db,
      { externalId: body.customerId, feature: body.feature, credits: body.credits },
      catalog,
    );
  });

  api.post('/usage', async (request) => {
    const body = parseInput(usageBody, request.body);
    return recordUsage(
      db,
      {
        externalId: body.customerId,
        feature: body.feature,
        idempotencyKey: body.idempotencyKey,
        credits: body.credits,
        metadata: body.metadata,
        actor: serviceActor(request),
      },
      catalog,
    );
  });

  api.post('/usage/:idempotencyKey/reverse', async (request) => {
    const params = parseInput(usageParams, request.params, 'path');
    const body = parseInput(reverseUsageBody, request.body);
    const result = await reverseUsage(db, {
      idempotencyKey: params.idempotencyKey,
      reason: body.reason,
      actor: serviceActor(request),
    });
    return { ...result, reversed: true };
  });
}
