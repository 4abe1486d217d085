// Staff procedures for customers: find, look at, and (admins) change plan and entitlements.
import {
  customerIdInput,
  grantOverrideInput,
  listCustomersInput,
  revokeOverrideInput,
  setPlanInput,
} from '../../contracts/customers.ts';
import { getCustomer } from '../../modules/customers/find-customer.ts';
import { getCustomerOverview } from '../../modules/customers/get-customer-overview.ts';
import { listCustomers } from '../../modules/customers/list-customers.ts';
import { grantOverride } from '../../modules/entitlements/grant-override.ts';
import { listOverrides } from '../../modules/entitlements/list-overrides.ts';
import { revokeOverride } from '../../modules/entitlements/revoke-override.ts';
import { setCustomerPlan } from '../../modules/entitlements/set-customer-plan.ts';
import { adminProcedure, router, staffProcedure } from '../init.ts';

export const customersRouter = router({
  list: staffProcedure.input(listCustomersInput).query(({ ctx, input }) => listCustomers(ctx.deps.prisma, input)),
  get: staffProcedure
    .input(customerIdInput)
    .query(async ({ ctx, input }) =>
      getCustomerOverview(ctx.deps.prisma, await getCustomer(ctx.deps.prisma, input.customerId)),
    ),
  overrides: staffProcedure
    .input(customerIdInput)
    .query(({ ctx, input }) => listOverrides(ctx.deps.prisma, input.customerId)),
  setPlan: adminProcedure
    .input(setPlanInput)
    .mutation(({ ctx, input }) => setCustomerPlan(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  grantOverride: adminProcedure
    .input(grantOverrideInput)
    .mutation(({ ctx, input }) => grantOverride(ctx.deps.prisma, { ...input, actor: ctx.actor })),
  revokeOverride: adminProcedure
    .input(revokeOverrideInput)
    .mutation(({ ctx, input }) => revokeOverride(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
