import type { ReactNode } from 'react';
import { Label } from './ui/label';

/** A field's error in words, tied to its control by id (`aria-describedby={`${id}-error`}`). */
function FieldError({ id, children }: { id: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <p id={`${id}-error`} className="text-sm text-destructive">
      {children}
    </p>
  );
}

/** Label + control + error message, wired for screen readers. */
export function Field({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      {children}
      {hint && !error && <p className="text-xs text-muted-foreground">{hint}</p>}
      <FieldError id={id}>{error}</FieldError>
    </div>
  );
}
