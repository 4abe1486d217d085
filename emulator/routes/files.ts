// Files: multipart upload (purpose dispute_evidence and others), retrieve, list. Contents are
// served by the HTTP server at /v1/files/:id/contents.
import type Stripe from 'stripe';
import { params, pathId, type ApiHandler } from '../http/context.ts';
import type { Router } from '../http/router.ts';
import { buildFile, fileType } from '../objects/file.ts';
import * as P from '../wire/allowed-params.ts';
import { invalidRequest, missingParam } from '../wire/errors.ts';
import { listOf, paginate } from '../wire/list.ts';
import { rangeFilter } from '../wire/params.ts';
import { registry, render, renderList } from '../wire/render.ts';

const PURPOSES = [
  'account_requirement',
  'additional_verification',
  'business_icon',
  'business_logo',
  'customer_signature',
  'dispute_evidence',
  'identity_document',
  'issuing_regulatory_reporting',
  'pci_document',
  'platform_terms_of_service',
  'tax_document_user_upload',
  'terminal_android_apk',
  'terminal_reader_splashscreen',
] as const;

/** Stripe's limit for dispute evidence files. */
const MAX_EVIDENCE_BYTES = 5 * 1024 * 1024;

registry.includables.file = { links: (_store, f) => listOf([], `/v1/file_links?file=${String(f.id)}`) };

export function registerFileRoutes(router: Router<ApiHandler>): void {
  router.post('/v1/files', (ctx) => {
    const p = params(ctx, P.FileCreate);
    const { emu } = ctx;
    const purpose = p.oneOf('purpose', PURPOSES);
    if (!purpose) throw missingParam('purpose');
    const upload = ctx.files.find((f) => f.field === 'file');
    if (!upload) throw missingParam('file');
    if (purpose === 'dispute_evidence' && upload.data.length > MAX_EVIDENCE_BYTES) {
      throw invalidRequest('Dispute evidence files must be smaller than 5 MB.', 'file');
    }
    const file = emu.store.insert(
      'file',
      buildFile(emu, {
        purpose: purpose as Stripe.File.Purpose,
        filename: upload.filename,
        size: upload.data.length,
        type: fileType(upload.filename, upload.contentType),
      }),
    );
    emu.store.files.set(file.id, { data: upload.data, contentType: upload.contentType });
    return render(emu.store, file, p.expand());
  });
  router.get('/v1/files/:id', (ctx) => {
    const p = params(ctx, []);
    return render(ctx.emu.store, ctx.emu.store.require('file', pathId(ctx)), p.expand());
  });
  router.get('/v1/files', (ctx) => {
    const p = params(ctx, P.FileList);
    const purpose = p.str('purpose');
    const created = rangeFilter(p, 'created');
    const items = ctx.emu.store
      .all('file')
      .reverse()
      .filter((x) => !purpose || x.purpose === purpose)
      .filter((x) => !created || created(x.created));
    return renderList(ctx.emu.store, paginate(items, p, '/v1/files'), p.expand());
  });
}
