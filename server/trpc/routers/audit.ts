// The audit log, read-only: there is no procedure that edits or deletes a record (and the table
// refuses UPDATE and DELETE). Finance and admin, like the page in the navigation.
import { listAuditLogInput } from '../../contracts/support.ts';
import { listAuditLog } from '../../modules/support/list-audit-log.ts';
import { financeProcedure, router } from '../init.ts';

export const auditRouter = router({
  list: financeProcedure.input(listAuditLogInput).query(({ ctx, input }) => listAuditLog(ctx.deps.prisma, input)),
});
