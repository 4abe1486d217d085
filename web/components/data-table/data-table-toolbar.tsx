// The row of filters above a list. Each filter writes its URL param through useListParams; the
// search box waits for a pause in typing before it does, so the history is not one entry per key.
import { SearchIcon } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { cn } from '@/lib/utils';

export function DataTableToolbar({ children, className }: { children: ReactNode; className?: string }) {
  return <div className={cn('flex flex-wrap items-end gap-3', className)}>{children}</div>;
}

/** A text filter that follows the URL (back button, links) and writes to it after a pause. */
export function DataTableSearch({
  id,
  label,
  value,
  onChange,
  placeholder,
  className,
  inputClassName,
  hideLabel = false,
  delayMs = 300,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  className?: string;
  inputClassName?: string;
  /** The placeholder says what to type; the label is still there for screen readers. */
  hideLabel?: boolean;
  delayMs?: number;
}) {
  const [draft, setDraft] = useState(value);
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (value !== draft.trim()) setDraft(value);
  }
  useEffect(() => {
    if (draft.trim() === value) return;
    const timer = setTimeout(() => onChange(draft.trim()), delayMs);
    return () => clearTimeout(timer);
  }, [draft, value, onChange, delayMs]);
  return (
    <div className={cn('flex flex-col gap-1', className)}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : 'text-xs text-muted-foreground'}>
        {label}
      </label>
      <div className="relative">
        <SearchIcon className="pointer-events-none absolute top-2 left-2.5 size-4 text-muted-foreground" aria-hidden />
        <Input
          id={id}
          type="search"
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          className={cn('h-8 pl-8', inputClassName)}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onChange(draft.trim());
          }}
        />
      </div>
    </div>
  );
}

/** A choice among fixed values; '' means any. */
export function DataTableSelect<V extends string>({
  id,
  label,
  value,
  options,
  onChange,
  anyLabel = 'Any',
}: {
  id: string;
  label: string;
  value: V | '';
  options: ReadonlyArray<readonly [V, string]>;
  onChange: (value: V | null) => void;
  anyLabel?: string | null;
}) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs text-muted-foreground">
        {label}
      </label>
      <NativeSelect id={id} value={value} onChange={(e) => onChange((e.target.value || null) as V | null)}>
        {anyLabel !== null && <option value="">{anyLabel}</option>}
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </NativeSelect>
    </div>
  );
}

/**
 * Several of fixed values at once, as toggle buttons after an "all" button (the kinds of a
 * stream). The URL keeps them as one comma-separated param; none chosen means all.
 */
export function DataTableFacets<V extends string>({
  label,
  value,
  options,
  onChange,
  allLabel = 'All',
}: {
  label: string;
  value: readonly V[];
  options: ReadonlyArray<readonly [V, string]>;
  onChange: (value: V[]) => void;
  allLabel?: string;
}) {
  const toggle = (v: V) => onChange(value.includes(v) ? value.filter((x) => x !== v) : [...value, v]);
  return (
    <div className="flex flex-wrap items-center gap-1.5" role="group" aria-label={label}>
      <Button
        size="sm"
        variant={value.length === 0 ? 'secondary' : 'ghost'}
        aria-pressed={value.length === 0}
        onClick={() => onChange([])}
      >
        {allLabel}
      </Button>
      {options.map(([v, text]) => (
        <Button
          key={v}
          size="sm"
          variant={value.includes(v) ? 'secondary' : 'ghost'}
          aria-pressed={value.includes(v)}
          onClick={() => toggle(v)}
        >
          {text}
        </Button>
      ))}
    </div>
  );
}

/** A facets param read back: the known values, in the order given, unknown ones dropped. */
export function facetValues<V extends string>(param: string, known: readonly V[]): V[] {
  const chosen = param.split(',');
  return known.filter((v) => chosen.includes(v));
}

export function DataTableReset({ visible, onReset }: { visible: boolean; onReset: () => void }) {
  if (!visible) return null;
  return (
    <Button variant="ghost" size="sm" onClick={onReset}>
      Clear filters
    </Button>
  );
}
