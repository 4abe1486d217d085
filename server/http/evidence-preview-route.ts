// GET /api/staff/disputes/<disputeId>/evidence-pages/<n>.png: page n of the evidence PDF as an
// image, for the dispute page's preview tab, signed in with the staff session cookie like the
// tRPC API. An <img> from our own origin is allowed by the CSP (img-src 'self') and shows in every
// browser, where an embedded PDF needs object-src/frame-src and a PDF viewer. The ?v= query (the
// PDF's hash, from disputes.evidencePdf) makes a changed pack a new URL, so pages can be cached.
import type { FastifyInstance } from 'fastify';
import { disputeId } from '../contracts/disputes.ts';
import type { Deps } from '../deps.ts';
import { isAppError } from '../lib/app-error.ts';
import { getEvidencePageImage } from '../modules/disputes/get-evidence-pdf.ts';
import { resolveStaffSession } from '../trpc/context.ts';

const error = (code: string, message: string) => ({ error: { code, message } });

export async function evidencePreviewRoutes(app: FastifyInstance, options: { deps: Deps }): Promise<void> {
  const { deps } = options;
  app.get<{ Params: { disputeId: string; file: string }; Querystring: { v?: string } }>(
    '/api/staff/disputes/:disputeId/evidence-pages/:file',
    async (req, reply) => {
      const user = await resolveStaffSession(deps, req.headers);
      if (!user) return reply.code(401).send(error('unauthorized', 'Sign in to continue'));
      const page = /^([1-9][0-9]{0,3})\.png$/.exec(req.params.file)?.[1];
      const id = disputeId.safeParse(req.params.disputeId);
      if (!page || !id.success) {
        return reply.code(404).send(error('not_found', `No evidence page "${req.params.file}"`));
      }
      try {
        const asked = typeof req.query.v === 'string' ? req.query.v : undefined;
        const drawn = await getEvidencePageImage(deps.prisma, {
          disputeId: id.data,
          page: Number(page),
          version: asked,
        });
        // Cached only when the image is of the version the URL names; otherwise it is the newest.
        const cache = drawn.version === asked ? 'private, max-age=3600' : 'no-store';
        return reply.header('content-type', 'image/png').header('cache-control', cache).send(drawn.png);
      } catch (err) {
        if (isAppError(err)) return reply.code(err.httpStatus).send(error(err.code.toLowerCase(), err.message));
        throw err;
      }
    },
  );
}
