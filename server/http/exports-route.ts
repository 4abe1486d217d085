// GET /api/staff/exports/<kind>.csv?from=YYYY-MM-DD&to=YYYY-MM-DD: a CSV export streamed straight
// from PostgreSQL (keyset batches, constant memory), for finance and admin, signed in with the
// staff session cookie like the tRPC API. X-Total-Rows says how many rows will come (the browser
// counts lines as they arrive to show progress); when the browser aborts, the response closes and
// the stream stops before its next batch. Each export leaves an audit record.
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { EXPORT_KIND_VALUES, reportRangeInput, type ExportKindValue } from '../contracts/reports.ts';
import { UTC_SESSIONS } from '../db/client.ts';
import type { Deps } from '../deps.ts';
import { isAppError } from '../lib/app-error.ts';
import { recordAudit } from '../modules/audit/record-audit.ts';
import { pgRowSource, prismaRowSource, type RowSource } from '../modules/reports/row-source.ts';
import { countExport, streamExport } from '../modules/reports/stream-export.ts';
import { resolveStaffSession } from '../trpc/context.ts';

const error = (code: string, message: string) => ({ error: { code, message } });

export async function exportRoutes(app: FastifyInstance, options: { deps: Deps }): Promise<void> {
  const { deps } = options;
  const url = deps.databaseUrl ?? deps.env.DATABASE_URL;
  // A small pool of its own: a long export holds one connection, never the app's Prisma pool.
  const pool = url ? new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 10_000, ...UTC_SESSIONS }) : null;
  pool?.on('error', (err) => deps.log.warn({ err }, 'export pool: idle connection error'));
  app.addHook('onClose', async () => {
    await pool?.end();
  });
  const source: RowSource = pool ? pgRowSource(pool) : prismaRowSource(deps.prisma);

  app.get<{ Params: { file: string }; Querystring: Record<string, string> }>(
    '/api/staff/exports/:file',
    async (req, reply) => {
      const user = await resolveStaffSession(deps, req.headers);
      if (!user) return reply.code(401).send(error('unauthorized', 'Sign in to continue'));
      if (user.role !== 'finance' && user.role !== 'admin') {
        return reply.code(403).send(error('forbidden', 'Exports need the finance or admin role'));
      }
      const kind = /^([a-z]+)\.csv$/.exec(req.params.file)?.[1] as ExportKindValue | undefined;
      if (!kind || !EXPORT_KIND_VALUES.includes(kind)) {
        return reply.code(404).send(error('not_found', `No export "${req.params.file}"`));
      }
      const parsed = reportRangeInput.safeParse({ from: req.query.from, to: req.query.to });
      if (!parsed.success) {
        return reply.code(400).send(error('validation', parsed.error.issues.map((i) => i.message).join('; ')));
      }
      const range = parsed.data;
      let total: number;
      try {
        total = await countExport(source, kind, range);
      } catch (err) {
        if (isAppError(err)) return reply.code(err.httpStatus).send(error(err.code.toLowerCase(), err.message));
        throw err;
      }
      await recordAudit(deps.prisma, {
        actor: { type: 'staff', id: user.id, email: user.email, role: user.role, ip: req.ip },
        action: 'report.export',
        targetType: 'export',
        targetId: kind,
        after: { kind, ...range, rows: total },
      });

      const controller = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) {
          controller.abort();
          deps.log.info({ kind, range, user: user.id }, 'export cancelled by the client');
        }
      });
      const body = Readable.from(streamExport(source, kind, range, { signal: controller.signal }), {
        objectMode: false,
        highWaterMark: 1 << 16,
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="creditdesk-${kind}-${range.from}-to-${range.to}.csv"`)
        .header('cache-control', 'no-store')
        .header('x-total-rows', String(total))
        .header('access-control-expose-headers', 'x-total-rows')
        .send(body);
    },
  );
}
