// Reports (finance and admin): the charts. CSV exports are a streaming GET route
// (server/http/exports-route.ts), not a procedure.
import { reportRangeInput } from '../../contracts/reports.ts';
import { getReportCharts } from '../../modules/reports/get-report-charts.ts';
import { financeProcedure, router } from '../init.ts';

export const reportsRouter = router({
  charts: financeProcedure.input(reportRangeInput).query(({ ctx, input }) => getReportCharts(ctx.deps.prisma, input)),
});
