// Review before saving: every problem (each jumps to its field), what changes and which customers
// it reaches, then the reason for the audit log. Saving names the version the draft started from;
// if someone saved meanwhile, the admin is told and can load the new catalog.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { Field } from '@/components/field';
import { ReasonTextarea } from '@/components/reason-textarea';
import { SkeletonRows } from '@/components/states';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { describeError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { ImpactList } from './impact-list';
import type { CatalogEditor } from './use-catalog-editor';
import { saveCatalogInput } from '../../../server/contracts/catalog-admin.ts';

/** The save procedure's own reason rule. */
const saveReason = saveCatalogInput.pick({ reason: true });
type SaveReason = z.input<typeof saveReason>;

export function ProblemList({
  problems,
  onJump,
}: {
  problems: Array<{ path: string; message: string }>;
  onJump?: (path: string) => void;
}) {
  if (!problems.length) return null;
  return (
    <div role="alert" className="rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm">
      <p className="mb-1 font-medium text-destructive">
        {problems.length} problem{problems.length === 1 ? '' : 's'} to fix before saving
      </p>
      <ul className="flex flex-col gap-0.5">
        {problems.map((p) => (
          <li key={`${p.path}:${p.message}`}>
            {onJump ? (
              <button
                type="button"
                className="text-left underline-offset-2 hover:underline focus-visible:ring-2 focus-visible:ring-ring"
                onClick={() => onJump(p.path)}
              >
                <span className="font-mono text-xs">{p.path || 'catalog'}</span>: {p.message}
              </button>
            ) : (
              <>
                <span className="font-mono text-xs">{p.path || 'catalog'}</span>: {p.message}
              </>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ReviewDialog({
  editor,
  open,
  onOpenChange,
  onJump,
}: {
  editor: CatalogEditor;
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onJump: (path: string) => void;
}) {
  const trpc = useTRPC();
  const form = useForm<SaveReason>({
    resolver: zodResolver(saveReason),
    mode: 'onTouched',
    defaultValues: { reason: '' },
  });
  const reasonError = form.formState.errors.reason?.message;
  const [stale, setStale] = useState<string | null>(null);
  const preview = editor.preview.data;
  const save = useMutation(
    trpc.catalogAdmin.save.mutationOptions({
      onSuccess: async (r) => {
        toast.success(
          r.changed ? `Catalog saved as version ${r.versionNumber}` : 'Nothing changed: the catalog already matched',
        );
        form.reset();
        onOpenChange(false);
        await editor.reload();
      },
      onError: (err) => {
        const info = describeError(err);
        if (info.code === 'STALE') setStale(info.message);
        else toast.error(info.message);
      },
    }),
  );
  const ready = editor.checked && !!preview;
  const canSave = ready && preview.ok && preview.changed && form.formState.isValid && !save.isPending;
  const limitFeatures = new Set(editor.draft.features.filter((f) => f.type === 'limit').map((f) => f.key));
  const d = preview?.diff;
  const counts = (name: string, x: { added: string[]; updated: string[]; removed: string[] } | undefined) =>
    x && x.added.length + x.updated.length + x.removed.length
      ? `${name}: ${x.added.length} added, ${x.updated.length} changed, ${x.removed.length} removed`
      : null;

  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        if (!o) setStale(null);
        onOpenChange(o);
      }}
    >
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={form.handleSubmit(({ reason }) => {
            if (canSave && editor.json) {
              save.mutate({ catalog: editor.json, reason, baseVersion: editor.version, source: editor.source });
            }
          })}
        >
          <DialogHeader>
            <DialogTitle>Review and save the catalog</DialogTitle>
            <DialogDescription>
              {editor.source === 'file' ? 'Loaded from a JSON file. ' : ''}
              Saved as a new version; any version can be restored later.
            </DialogDescription>
          </DialogHeader>
          {!ready && <SkeletonRows rows={4} />}
          {ready && (
            <>
              <ProblemList
                problems={preview.problems}
                onJump={(path) => {
                  onOpenChange(false);
                  onJump(path);
                }}
              />
              {d && (
                <p className="text-sm text-muted-foreground">
                  {[
                    counts('Features', d.features),
                    counts('Plans', d.plans),
                    counts('Packs', d.creditPacks),
                    d.rules ? 'Rules changed' : null,
                  ]
                    .filter(Boolean)
                    .join(' · ') || (preview.changed ? 'Order changed' : 'Nothing to save: this is the saved catalog.')}
                </p>
              )}
              <ImpactList
                preview={preview}
                limitFeatures={limitFeatures}
                currency={editor.draft.rules.refundApprovalCurrency}
              />
            </>
          )}
          {stale && (
            <div
              role="alert"
              className="flex flex-col gap-2 rounded-md border border-warning/40 bg-warning/10 p-3 text-sm"
            >
              <p>{stale}</p>
              <div>
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  onClick={async () => {
                    setStale(null);
                    onOpenChange(false);
                    await editor.reload();
                  }}
                >
                  Load the latest catalog (drops your edits)
                </Button>
              </div>
            </div>
          )}
          <Field id="catalog-reason" label="Reason (recorded with this version)" error={reasonError}>
            <ReasonTextarea id="catalog-reason" invalid={!!reasonError} {...form.register('reason')} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Keep editing
            </Button>
            <Button type="submit" disabled={!canSave}>
              {save.isPending ? 'Saving…' : 'Save catalog'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
