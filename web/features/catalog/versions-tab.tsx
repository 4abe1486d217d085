// Catalog versions: every saved change (file import, edit, price mapping, restore) keeps the whole
// catalog, so any version can be read, downloaded, or restored (as a new version, after a preview
// of what it would change now).
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { Field } from '@/components/field';
import { ReasonTextarea } from '@/components/reason-textarea';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { StaffName } from '@/components/staff-name';
import { describeError } from '@/lib/errors';
import { useTRPC, useTRPCClient } from '@/lib/trpc';
import { downloadJson } from './download';
import { ImpactList } from './impact-list';
import { ProblemList } from './review-dialog';
import type { CatalogEditor } from './use-catalog-editor';
import { restoreCatalogVersionInput } from '../../../server/contracts/catalog-admin.ts';

/** The restore procedure's own reason rule. */
const restoreReason = restoreCatalogVersionInput.pick({ reason: true });
type RestoreReason = z.input<typeof restoreReason>;

const ACTION_WORDS: Record<string, string> = {
  'catalog.import': 'JSON import',
  'catalog.save': 'edited',
  'catalog.restore': 'restored',
  'catalog.map_price': 'price mapped',
};

export function VersionsTab({ editor }: { editor: CatalogEditor }) {
  const trpc = useTRPC();
  const [stack, setStack] = useState<string[]>([]);
  const versions = useQuery(trpc.catalogAdmin.versions.queryOptions({ cursor: stack.at(-1) ?? null, limit: 20 }));
  const [viewing, setViewing] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);

  if (versions.isPending) return <SkeletonRows rows={5} />;
  if (versions.isError) return <ErrorState error={versions.error} onRetry={() => void versions.refetch()} />;
  if (!versions.data.items.length) {
    return (
      <EmptyState title="No versions yet">
        A version is kept each time the catalog is imported or saved (npm run catalog:import, or these screens).
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3">
      <Table aria-label="Catalog versions">
        <TableHeader>
          <TableRow>
            <TableHead>Version</TableHead>
            <TableHead>When</TableHead>
            <TableHead>Who</TableHead>
            <TableHead>How</TableHead>
            <TableHead>What changed, and why</TableHead>
            <TableHead className="text-right">
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {versions.data.items.map((v) => (
            <TableRow key={v.id}>
              <TableCell className="font-mono text-xs">
                <span title={`audit record #${v.id}`}>Version {v.number}</span>{' '}
                {v.current && <Badge tone="success">current</Badge>}
              </TableCell>
              <TableCell>
                <TimeAgo date={v.createdAt} />
              </TableCell>
              <TableCell className="text-muted-foreground">
                <StaffName id={v.actorId ?? v.actorEmail} fallback={v.actorEmail ?? '—'} />
              </TableCell>
              <TableCell>{ACTION_WORDS[v.action] ?? v.action}</TableCell>
              <TableCell className="max-w-md truncate whitespace-normal text-muted-foreground">
                {v.reason ?? '—'}
              </TableCell>
              <TableCell className="text-right">
                <div className="flex justify-end gap-2">
                  <Button size="sm" variant="outline" onClick={() => setViewing(v.id)}>
                    View version {v.number}
                  </Button>
                  {!v.current && (
                    <Button size="sm" variant="outline" disabled={editor.dirty} onClick={() => setRestoring(v.id)}>
                      Restore version {v.number}
                    </Button>
                  )}
                </div>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <nav aria-label="Version pages" className="flex items-center justify-end gap-2 text-sm">
        <Button variant="outline" size="sm" disabled={!stack.length} onClick={() => setStack(stack.slice(0, -1))}>
          Newer
        </Button>
        <Button
          variant="outline"
          size="sm"
          disabled={!versions.data.nextCursor}
          onClick={() => versions.data.nextCursor && setStack([...stack, versions.data.nextCursor])}
        >
          Older
        </Button>
      </nav>
      {editor.dirty && (
        <p className="text-sm text-muted-foreground">Save or discard your edits to restore a version.</p>
      )}
      <ViewDialog versionId={viewing} onClose={() => setViewing(null)} />
      <RestoreDialog editor={editor} versionId={restoring} onClose={() => setRestoring(null)} />
    </div>
  );
}

function ViewDialog({ versionId, onClose }: { versionId: string | null; onClose: () => void }) {
  const trpc = useTRPC();
  const version = useQuery({
    ...trpc.catalogAdmin.version.queryOptions({ versionId: versionId ?? '0' }),
    enabled: !!versionId,
  });
  return (
    <Dialog open={!!versionId} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Catalog version {version.data?.number ?? ''}</DialogTitle>
          <DialogDescription>The catalog as it was right after this change, in the JSON file format.</DialogDescription>
        </DialogHeader>
        {version.isPending && <SkeletonRows rows={6} />}
        {version.isError && <ErrorState error={version.error} onRetry={() => void version.refetch()} />}
        {version.data && (
          <>
            <pre
              tabIndex={0}
              aria-label="Catalog JSON"
              className="max-h-[60vh] overflow-auto rounded-md border bg-muted/50 p-3 font-mono text-xs"
            >
              {JSON.stringify(version.data.catalog, null, 2)}
            </pre>
            <DialogFooter>
              <Button
                variant="outline"
                onClick={() => downloadJson(`catalog-v${version.data.number}.json`, version.data.catalog)}
              >
                Download JSON
              </Button>
            </DialogFooter>
          </>
        )}
      </DialogContent>
    </Dialog>
  );
}

function RestoreDialog({
  editor,
  versionId,
  onClose,
}: {
  editor: CatalogEditor;
  versionId: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const form = useForm<RestoreReason>({
    resolver: zodResolver(restoreReason),
    mode: 'onTouched',
    defaultValues: { reason: '' },
  });
  const reasonError = form.formState.errors.reason?.message;
  const preview = useQuery({
    queryKey: ['catalogAdmin.restorePreview', versionId],
    enabled: !!versionId,
    retry: false,
    queryFn: async () => {
      const version = await client.catalogAdmin.version.query({ versionId: versionId! });
      return client.catalogAdmin.preview.mutate({ catalog: version.catalog });
    },
  });
  const restore = useMutation(
    trpc.catalogAdmin.restore.mutationOptions({
      onSuccess: async (r) => {
        toast.success(
          r.changed ? `Version ${r.restoredNumber} restored as version ${r.versionNumber}` : 'Nothing changed',
        );
        form.reset();
        onClose();
        await editor.reload();
        await queryClient.invalidateQueries({ queryKey: ['catalogAdmin.restorePreview'] });
      },
      onError: (err) => toast.error(describeError(err).message),
    }),
  );
  const ok = preview.data?.ok && preview.data.changed;
  return (
    <Dialog open={!!versionId} onOpenChange={(o) => !o && onClose()}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit(({ reason }) => {
            if (ok && versionId && !restore.isPending) restore.mutate({ versionId, reason });
          })}
        >
          <DialogHeader>
            <DialogTitle>Restore this version</DialogTitle>
            <DialogDescription>
              The catalog becomes what it was after that version, saved as a new version. What that changes now:
            </DialogDescription>
          </DialogHeader>
          {preview.isPending && <SkeletonRows rows={4} />}
          {preview.isError && <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />}
          {preview.data && (
            <>
              <ProblemList problems={preview.data.problems} />
              {!preview.data.changed && preview.data.ok && (
                <p className="text-sm text-muted-foreground">This version is the same as the current catalog.</p>
              )}
              <ImpactList
                preview={preview.data}
                limitFeatures={new Set(editor.saved?.features.filter((f) => f.type === 'limit').map((f) => f.key))}
                currency={editor.saved?.rules.refundApproval.currency ?? 'eur'}
              />
            </>
          )}
          <Field id="restore-reason" label="Reason (recorded with the new version)" error={reasonError}>
            <ReasonTextarea id="restore-reason" invalid={!!reasonError} {...form.register('reason')} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={!ok || !form.formState.isValid || restore.isPending}>
              {restore.isPending ? 'Restoring…' : `Restore #${versionId}`}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
