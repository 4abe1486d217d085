// The pieces the reprocess dialog and the price-mapping dialog share: a dialog that cannot be
// closed while a run is going (Esc and outside clicks wait for it), and the footer of a run
// (Cancel stops after the event in hand, then Done).
import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import type { useReprocessRun } from './reprocess-run';

export function RunDialog({
  open,
  running,
  onClose,
  children,
}: {
  open: boolean;
  running: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog open={open} onOpenChange={(o) => !o && !running && onClose()}>
      <DialogContent
        className="max-h-[90vh] overflow-y-auto sm:max-w-3xl"
        onEscapeKeyDown={(e) => running && e.preventDefault()}
        onPointerDownOutside={(e) => running && e.preventDefault()}
      >
        {children}
      </DialogContent>
    </Dialog>
  );
}

export function RunFooter({ runner, onClose }: { runner: ReturnType<typeof useReprocessRun>; onClose: () => void }) {
  return (
    <DialogFooter>
      {runner.phase === 'running' ? (
        <Button type="button" variant="outline" disabled={runner.cancelRequested} onClick={runner.cancel}>
          {runner.cancelRequested ? 'Stopping…' : 'Cancel'}
        </Button>
      ) : (
        <Button type="button" onClick={onClose}>
          Done
        </Button>
      )}
    </DialogFooter>
  );
}
