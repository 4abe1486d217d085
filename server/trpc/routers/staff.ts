import { listStaff } from '../../modules/staff/list-staff.ts';
import { adminProcedure, router } from '../init.ts';

export const staffRouter = router({
  list: adminProcedure.query(({ ctx }) => listStaff(ctx.deps.prisma)),
});
