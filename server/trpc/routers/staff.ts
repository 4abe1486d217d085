import { createStaffInput, setStaffDisabledInput, setStaffRoleInput } from '../../contracts/staff.ts';
import { createStaff } from '../../modules/staff/create-staff.ts';
import { listStaff } from '../../modules/staff/list-staff.ts';
import { setStaffDisabled } from '../../modules/staff/set-staff-disabled.ts';
import { setStaffRole } from '../../modules/staff/set-staff-role.ts';
import { adminProcedure, router } from '../init.ts';

export const staffRouter = router({
  list: adminProcedure.query(({ ctx }) => listStaff(ctx.deps.prisma)),
  create: adminProcedure
    .input(createStaffInput)
    .mutation(({ ctx, input }) => createStaff(ctx.deps.prisma, ctx.deps.auth, ctx.actor, input)),
  setRole: adminProcedure
    .input(setStaffRoleInput)
    .mutation(({ ctx, input }) => setStaffRole(ctx.deps.prisma, ctx.actor, input)),
  setDisabled: adminProcedure
    .input(setStaffDisabledInput)
    .mutation(({ ctx, input }) => setStaffDisabled(ctx.deps.prisma, ctx.actor, input)),
});
