// Keyboard first: Cmd/Ctrl-K opens the command palette from anywhere, `g <key>` jumps to a
// screen, `?` lists the shortcuts. Typing in a field never triggers a shortcut.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { useCustomerCommands } from '@/features/customers/use-customer-commands';
import { cn } from '@/lib/utils';
import { canSee, NAV_ITEMS } from './navigation';
import { useStaff } from './session';

export interface PaletteCommand {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

/** Extra palette sources (customer search, later) register through this prop. */
export type PaletteSource = (query: string) => PaletteCommand[];

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));
}

export function KeyboardShortcuts({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const user = useStaff();
  const [paletteOpen, setPaletteOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const pendingG = useRef<number | null>(null);
  const items = useMemo(() => NAV_ITEMS.filter((i) => canSee(user.role, i)), [user.role]);

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if ((e.metaKey || e.ctrlKey) && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        setPaletteOpen((o) => !o);
        return;
      }
      if (isTyping(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '?') {
        setHelpOpen(true);
        return;
      }
      if (pendingG.current !== null) {
        window.clearTimeout(pendingG.current);
        pendingG.current = null;
        const item = items.find((i) => i.shortcut === e.key);
        if (item) navigate(item.path);
        return;
      }
      if (e.key === 'g') pendingG.current = window.setTimeout(() => (pendingG.current = null), 1200);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, navigate]);

  return (
    <>
      {children}
      <CommandPalette
        open={paletteOpen}
        onOpenChange={setPaletteOpen}
        commands={items.map((i) => ({
          id: i.path,
          label: `Go to ${i.label}`,
          hint: i.shortcut ? `g ${i.shortcut}` : undefined,
          run: () => navigate(i.path),
        }))}
      />
      <Dialog open={helpOpen} onOpenChange={setHelpOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>Keyboard shortcuts</DialogTitle>
            <DialogDescription>Work without the mouse.</DialogDescription>
          </DialogHeader>
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt>
              <kbd className="font-mono">Ctrl/⌘ K</kbd>
            </dt>
            <dd>Search and commands</dd>
            {items.map((i) => (
              <div key={i.path} className="contents">
                <dt>
                  <kbd className="font-mono">g {i.shortcut}</kbd>
                </dt>
                <dd>{i.label}</dd>
              </div>
            ))}
            <dt>
              <kbd className="font-mono">?</kbd>
            </dt>
            <dd>This help</dd>
            <dt>
              <kbd className="font-mono">/</kbd>
            </dt>
            <dd>Focus the customer search (Customers page)</dd>
            <dt>
              <kbd className="font-mono">Esc</kbd>
            </dt>
            <dd>Close any dialog</dd>
          </dl>
        </DialogContent>
      </Dialog>
    </>
  );
}

function CommandPalette({
  open,
  onOpenChange,
  commands,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  commands: PaletteCommand[];
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  // Customers found by any handle follow the matching commands (the server already filtered them).
  const customerCommands = useCustomerCommands(query);
  const filtered = useMemo(
    () => [...commands.filter((c) => c.label.toLowerCase().includes(query.trim().toLowerCase())), ...customerCommands],
    [commands, query, customerCommands],
  );
  const close = useCallback(() => {
    onOpenChange(false);
    setQuery('');
    setActive(0);
  }, [onOpenChange]);

  return (
    <Dialog open={open} onOpenChange={(o) => (o ? onOpenChange(true) : close())}>
      <DialogContent className="top-[20%] translate-y-0 gap-0 p-0">
        <DialogHeader className="sr-only">
          <DialogTitle>Command palette</DialogTitle>
          <DialogDescription>Type to filter, Enter to run</DialogDescription>
        </DialogHeader>
        <Input
          autoFocus
          aria-label="Search commands"
          placeholder="Type a command, or search customers by email, name or Stripe id…"
          className="h-12 rounded-b-none border-0 border-b text-base focus-visible:ring-0"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, filtered.length - 1));
            if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            if (e.key === 'Enter' && filtered[active]) {
              filtered[active].run();
              close();
            }
          }}
        />
        <ul role="listbox" aria-label="Commands" className="max-h-80 overflow-y-auto p-1">
          {filtered.length === 0 && (
            <li className="px-3 py-6 text-center text-sm text-muted-foreground">No matching command</li>
          )}
          {filtered.map((c, i) => (
            <li
              key={c.id}
              role="option"
              aria-selected={i === active}
              className={cn(
                'flex cursor-pointer items-center justify-between rounded-md px-3 py-2 text-sm',
                i === active && 'bg-accent',
              )}
              onMouseEnter={() => setActive(i)}
              onClick={() => {
                c.run();
                close();
              }}
            >
              <span>{c.label}</span>
              {c.hint && <kbd className="font-mono text-xs text-muted-foreground">{c.hint}</kbd>}
            </li>
          ))}
        </ul>
      </DialogContent>
    </Dialog>
  );
}
