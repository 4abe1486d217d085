// Import a catalog JSON file (the format `npm run catalog:import` and Export use): pick a file or
// paste it. It is checked by the server first (every problem listed with its path); a file with
// the expected lists opens in the editor, where the problems show on their fields and the review
// shows which customers it touches before anything is saved.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useForm, useWatch } from 'react-hook-form';
import { z } from 'zod';
import { controlProps, Field } from '@/components/field';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { previewCatalogInput } from '../../../server/contracts/catalog-admin.ts';
import { isLoadable } from './draft';
import { ProblemList } from './review-dialog';
import type { CatalogEditor } from './use-catalog-editor';

/** The pasted or chosen file's text, read as JSON; what it says is checked by the server's preview. */
const catalogText = z
  .string()
  .trim()
  .min(1, 'Choose a file or paste the JSON.')
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'This is not valid JSON.' });
      return z.NEVER;
    }
  });
const importForm = z
  .object({ text: catalogText })
  .transform(({ text }) => ({ catalog: text }))
  .pipe(previewCatalogInput);

export function ImportDialog({
  editor,
  open,
  onOpenChange,
}: {
  editor: CatalogEditor;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        {/* Mounted per opening: the text and the check start empty each time. */}
        {open && <ImportForm editor={editor} onClose={() => onOpenChange(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function ImportForm({ editor, onClose }: { editor: CatalogEditor; onClose: () => void }) {
  const trpc = useTRPC();
  const form = useForm<z.input<typeof importForm>, unknown, z.output<typeof importForm>>({
    resolver: zodResolver(importForm),
    defaultValues: { text: '' },
  });
  const error = form.formState.errors.text?.message;
  const check = useMutation(trpc.catalogAdmin.preview.mutationOptions({ onError: (e) => toastError(e) }));
  const text = useWatch({ control: form.control, name: 'text' });
  const read = catalogText.safeParse(text);
  const parsed = read.success ? read.data : undefined;
  const loadable = isLoadable(parsed);

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(e) => void form.handleSubmit((input) => check.mutate(input))(e)}
    >
      <DialogHeader>
        <DialogTitle>Import catalog JSON</DialogTitle>
        <DialogDescription>
          The same format as Export and npm run catalog:import. Nothing is saved until you review it.
        </DialogDescription>
      </DialogHeader>
      <Field id="catalog-file" label="File">
        <Input
          id="catalog-file"
          type="file"
          accept="application/json,.json"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) {
              form.setValue('text', await file.text(), { shouldValidate: form.formState.isSubmitted });
              check.reset();
            }
          }}
        />
      </Field>
      <Field id="catalog-json" label="Or paste the JSON" error={error}>
        <Textarea
          rows={8}
          className="font-mono text-xs"
          spellCheck={false}
          {...controlProps('catalog-json', error)}
          {...form.register('text', { onChange: () => check.reset() })}
        />
      </Field>
      {check.data && (
        <>
          <ProblemList problems={check.data.problems} />
          {check.data.ok && (
            <p role="status" className="text-sm">
              {check.data.changed
                ? `No problems: ${check.data.impacts.length} change${check.data.impacts.length === 1 ? '' : 's'} to review.`
                : 'This file is the catalog as it is now: nothing would change.'}
            </p>
          )}
          {!loadable && (
            <p className="text-sm text-muted-foreground">
              The file does not have the features, plans and creditPacks lists the editor needs; fix it and paste it
              again.
            </p>
          )}
        </>
      )}
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" variant="outline" disabled={check.isPending}>
          {check.isPending ? 'Checking…' : 'Check'}
        </Button>
        <Button
          type="button"
          disabled={!check.data || !loadable}
          onClick={() => {
            if (isLoadable(parsed)) {
              editor.load(parsed, 'file');
              onClose();
            }
          }}
        >
          Open in the editor
        </Button>
      </DialogFooter>
    </form>
  );
}
