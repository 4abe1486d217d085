// The catalog: features, plans (with the entitlement grid), credit packs, rules and policy texts,
// the Stripe price mapping helper, and versions. Edits make a draft; the server checks it as you
// type (problems on their fields, counted on the tabs); "Review and save" shows which customers the
// change reaches before it is saved as a new, restorable version. JSON import/export use the
// CLI's file format. The tab lives in the URL; `?price=` opens the mapping of that price.
import { DownloadIcon, UploadIcon } from 'lucide-react';
import { Tabs } from 'radix-ui';
import { useState } from 'react';
import { useBlocker, useSearchParams } from 'react-router';
import { ErrorState, PageHeader, SkeletonRows } from '@/components/states';
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
import { downloadJson } from './download';
import { fieldId, tabOfPath } from './draft';
import { FeaturesTab } from './features-tab';
import { ImportDialog } from './import-dialog';
import { PacksTab } from './packs-tab';
import { PlansTab } from './plans-tab';
import { PricesTab } from './prices-tab';
import { ReviewDialog } from './review-dialog';
import { RulesTab } from './rules-tab';
import { useCatalogEditor, useCatalogState, type CatalogState } from './use-catalog-editor';
import { VersionsTab } from './versions-tab';

const TABS = [
  ['features', 'Features', 'features'],
  ['plans', 'Plans', 'plans'],
  ['packs', 'Credit packs', 'creditPacks'],
  ['rules', 'Rules', 'rules'],
  ['prices', 'Stripe prices', null],
  ['versions', 'Versions', null],
] as const;
type Tab = (typeof TABS)[number][0];

export function CatalogPage() {
  const state = useCatalogState();
  if (state.isPending) return <SkeletonRows rows={10} />;
  if (state.isError) return <ErrorState error={state.error} onRetry={() => void state.refetch()} />;
  return <CatalogEditorScreen state={state.data} />;
}

/** The editor starts from the saved catalog, so it mounts once that is read. */
function CatalogEditorScreen({ state }: { state: CatalogState }) {
  const editor = useCatalogEditor(state);
  const [params, setParams] = useSearchParams();
  const requestedPrice = params.get('price');
  const tab = (TABS.find(([key]) => key === params.get('tab'))?.[0] ?? (requestedPrice ? 'prices' : 'plans')) as Tab;
  const [reviewOpen, setReviewOpen] = useState(false);
  const [importOpen, setImportOpen] = useState(false);
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => editor.dirty && currentLocation.pathname !== nextLocation.pathname,
  );

  const setTab = (next: string) => {
    const p = new URLSearchParams(params);
    p.set('tab', next);
    setParams(p, { replace: true });
  };
  const jump = (path: string) => {
    const target = tabOfPath(path);
    if (target) setTab(target);
    // After the tab renders: focus the field the problem is about.
    setTimeout(() => document.getElementById(fieldId(path))?.focus(), 50);
  };

  const problemCount = editor.problems.all.length;

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Catalog"
        description={
          <>
            What customers can buy and what each purchase unlocks.{' '}
            {editor.versionNumber ? `Version ${editor.versionNumber}.` : 'No catalog imported yet.'}
          </>
        }
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="outline" size="sm" onClick={() => setImportOpen(true)}>
              <UploadIcon aria-hidden /> Import JSON
            </Button>
            <Button
              variant="outline"
              size="sm"
              onClick={() => editor.saved && downloadJson(`catalog-v${editor.versionNumber ?? 0}.json`, editor.saved)}
            >
              <DownloadIcon aria-hidden /> Export JSON
            </Button>
          </div>
        }
      />
      {editor.dirty && (
        <div
          role="status"
          className="sticky top-0 z-10 flex flex-wrap items-center justify-between gap-3 rounded-lg border bg-background/95 px-4 py-2 shadow-sm backdrop-blur"
        >
          <span className="text-sm">
            Unsaved changes{editor.source === 'file' ? ' (from a JSON file)' : ''}
            {editor.preview.isFetching ? ' · checking…' : ''}
            {!editor.preview.isFetching && problemCount > 0 && (
              <>
                {' · '}
                <span className="text-destructive">
                  {problemCount} problem{problemCount === 1 ? '' : 's'}
                </span>
              </>
            )}
          </span>
          <span className="flex gap-2">
            <Button variant="outline" size="sm" onClick={editor.discard}>
              Discard changes
            </Button>
            <Button size="sm" onClick={() => setReviewOpen(true)}>
              Review and save
            </Button>
          </span>
        </div>
      )}
      <Tabs.Root value={tab} onValueChange={setTab} className="flex flex-col gap-4">
        <Tabs.List aria-label="Catalog sections" className="flex gap-1 overflow-x-auto border-b">
          {TABS.map(([key, label, prefix]) => {
            const n = prefix ? editor.problems.count(prefix) : 0;
            return (
              <Tabs.Trigger
                key={key}
                value={key}
                className="-mb-px flex items-center gap-1.5 border-b-2 border-transparent px-3 py-2 text-sm text-muted-foreground outline-none hover:text-foreground focus-visible:ring-2 focus-visible:ring-ring data-[state=active]:border-foreground data-[state=active]:font-medium data-[state=active]:text-foreground"
              >
                {label}
                {n > 0 && (
                  <Badge tone="danger" aria-label={`${n} problems`}>
                    {n}
                  </Badge>
                )}
              </Tabs.Trigger>
            );
          })}
        </Tabs.List>
        <Tabs.Content value="features" className="outline-none">
          <FeaturesTab editor={editor} />
        </Tabs.Content>
        <Tabs.Content value="plans" className="outline-none">
          <PlansTab editor={editor} />
        </Tabs.Content>
        <Tabs.Content value="packs" className="outline-none">
          <PacksTab editor={editor} />
        </Tabs.Content>
        <Tabs.Content value="rules" className="outline-none">
          <RulesTab editor={editor} />
        </Tabs.Content>
        <Tabs.Content value="prices" className="outline-none">
          <PricesTab
            editor={editor}
            requestedPrice={requestedPrice}
            onRequestHandled={() => {
              if (!params.has('price')) return;
              const p = new URLSearchParams(params);
              p.delete('price');
              p.set('tab', 'prices');
              setParams(p, { replace: true });
            }}
          />
        </Tabs.Content>
        <Tabs.Content value="versions" className="outline-none">
          <VersionsTab editor={editor} />
        </Tabs.Content>
      </Tabs.Root>
      <ReviewDialog editor={editor} open={reviewOpen} onOpenChange={setReviewOpen} onJump={jump} />
      <ImportDialog editor={editor} open={importOpen} onOpenChange={setImportOpen} />
      <Dialog open={blocker.state === 'blocked'} onOpenChange={(o) => !o && blocker.reset?.()}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Leave without saving?</DialogTitle>
            <DialogDescription>Your catalog edits are not saved and will be lost.</DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <Button variant="outline" onClick={() => blocker.reset?.()}>
              Stay
            </Button>
            <Button variant="destructive" onClick={() => blocker.proceed?.()}>
              Leave
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </div>
  );
}
