// Import a catalog JSON file (the format `npm run catalog:import` and Export use): pick a file or
// paste it. It is checked by the server first (every problem listed with its path); a file with
// the expected lists opens in the editor, where the problems show on their fields and the review
// shows which customers it touches before anything is saved.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
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
import { Label } from '@/components/ui/label';
import { Textarea } from '@/components/ui/textarea';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';
import { isLoadable } from './draft';
import { ProblemList } from './review-dialog';
import type { CatalogEditor } from './use-catalog-editor';

export function ImportDialog({
  editor,
  open,
  onOpenChange,
}: {
  editor: CatalogEditor;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const [text, setText] = useState('');
  const [parseError, setParseError] = useState<string | null>(null);
  const check = useMutation(trpc.catalogAdmin.preview.mutationOptions({ onError: (e) => toastError(e) }));
  let parsed: unknown = undefined;
  try {
    parsed = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const loadable = isLoadable(parsed);

  const close = (o: boolean) => {
    if (!o) {
      setText('');
      setParseError(null);
      check.reset();
    }
    onOpenChange(o);
  };

  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent className="max-h-[90vh] overflow-y-auto sm:max-w-2xl">
        <form
          className="flex flex-col gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (parsed === undefined) {
              setParseError(text.trim() ? 'This is not valid JSON.' : 'Choose a file or paste the JSON.');
              return;
            }
            setParseError(null);
            check.mutate({ catalog: parsed });
          }}
        >
          <DialogHeader>
            <DialogTitle>Import catalog JSON</DialogTitle>
            <DialogDescription>
              The same format as Export and npm run catalog:import. Nothing is saved until you review it.
            </DialogDescription>
          </DialogHeader>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="catalog-file">File</Label>
            <Input
              id="catalog-file"
              type="file"
              accept="application/json,.json"
              onChange={async (e) => {
                const file = e.target.files?.[0];
                if (file) {
                  setText(await file.text());
                  check.reset();
                }
              }}
            />
          </div>
          <div className="flex flex-col gap-1.5">
            <Label htmlFor="catalog-json">Or paste the JSON</Label>
            <Textarea
              id="catalog-json"
              rows={8}
              className="font-mono text-xs"
              spellCheck={false}
              value={text}
              onChange={(e) => {
                setText(e.target.value);
                check.reset();
              }}
            />
          </div>
          {parseError && (
            <p role="alert" className="text-sm text-destructive">
              {parseError}
            </p>
          )}
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
            <Button type="button" variant="outline" onClick={() => close(false)}>
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
                  close(false);
                }
              }}
            >
              Open in the editor
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
