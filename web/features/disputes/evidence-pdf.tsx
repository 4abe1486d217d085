// The evidence PDF exactly as staging would upload it (from the saved pack), previewed in the page
// as page images drawn by the server (an embedded PDF needs a PDF viewer and object-src, which our
// CSP refuses) and downloadable, with its size against Stripe's limits.
import { useQuery } from '@tanstack/react-query';
import { DownloadIcon, FileTextIcon } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { ErrorState, SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import { useTRPC } from '@/lib/trpc';

function kb(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;
}

export function EvidencePdf({ disputeId, dirty }: { disputeId: string; dirty: boolean }) {
  const trpc = useTRPC();
  const pdf = useQuery(trpc.disputes.evidencePdf.queryOptions({ disputeId }, { staleTime: 0 }));
  const url = useMemo(() => {
    if (!pdf.data) return null;
    const bytes = Uint8Array.from(atob(pdf.data.base64), (c) => c.charCodeAt(0));
    return URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
  }, [pdf.data]);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );

  if (pdf.isPending) return <SkeletonRows rows={4} />;
  if (pdf.isError) return <ErrorState error={pdf.error} onRetry={() => void pdf.refetch()} />;
  const d = pdf.data;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <FileTextIcon className="size-4 text-muted-foreground" aria-hidden />
        <span data-testid="pdf-summary" className="tabular-nums">
          {d.filename}: {d.pages} page{d.pages === 1 ? '' : 's'}, {kb(d.bytes)}
        </span>
        <span className="text-xs text-muted-foreground">
          (Stripe limits: {d.limits.pages} pages, {kb(d.limits.bytes)})
        </span>
        {url && (
          <Button asChild size="sm" variant="outline" className="ml-auto">
            <a href={url} download={d.filename}>
              <DownloadIcon aria-hidden /> Download PDF
            </a>
          </Button>
        )}
      </div>
      {dirty && (
        <p role="status" className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-sm">
          The preview shows the saved evidence. Save your edits to see them here.
        </p>
      )}
      {d.usageLinesDropped > 0 && (
        <p className="text-sm text-muted-foreground">
          {d.usageLinesDropped} usage lines were left out of the PDF to stay within Stripe’s limits.
        </p>
      )}
      <div className="flex flex-col gap-3" aria-label="Evidence PDF preview" role="group" data-testid="pdf-preview">
        {Array.from({ length: d.pages }, (_, i) => (
          <PdfPage key={`${d.version}-${i}`} disputeId={disputeId} version={d.version} page={i + 1} pages={d.pages} />
        ))}
      </div>
    </div>
  );
}

function PdfPage({
  disputeId,
  version,
  page,
  pages,
}: {
  disputeId: string;
  version: string;
  page: number;
  pages: number;
}) {
  const [failed, setFailed] = useState(false);
  const label = `Evidence PDF, page ${page} of ${pages}`;
  if (failed) {
    return (
      <p role="alert" className="rounded-md border px-3 py-2 text-sm text-muted-foreground">
        Page {page} could not be drawn here. Use “Download PDF” to read it.
      </p>
    );
  }
  return (
    <img
      src={`/api/staff/disputes/${encodeURIComponent(disputeId)}/evidence-pages/${page}.png?v=${version}`}
      alt={label}
      title={label}
      loading={page > 2 ? 'lazy' : 'eager'}
      onError={() => setFailed(true)}
      data-testid="pdf-page"
      className="mx-auto w-full max-w-[820px] rounded-md border bg-white shadow-sm"
    />
  );
}
