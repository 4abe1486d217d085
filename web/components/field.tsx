import type { ComponentProps, ReactNode } from 'react';
import type { FieldValues, Path, UseFormReturn } from 'react-hook-form';
import { cn } from '@/lib/utils';
import { Input } from './ui/input';
import { Label } from './ui/label';

/**
 * A field's error in words (or a list of them), tied to its control by id
 * (`aria-describedby={`${id}-error`}`, see `controlProps`).
 */
export function FieldError({ id, className, children }: { id: string; className?: string; children?: ReactNode }) {
  if (!children) return null;
  return (
    <div id={`${id}-error`} className={cn('text-sm text-destructive', className)}>
      {children}
    </div>
  );
}

/**
 * The id and error wiring of a field's control: spread it on the input inside `Field` so the
 * label finds it and a screen reader reads the error with it.
 */
export function controlProps(id: string, error: unknown) {
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined };
}

/** What went wrong with the whole form (the server refused it), said once above its buttons. */
export function FormError({ children, className }: { children?: ReactNode; className?: string }) {
  if (!children) return null;
  return (
    <p role="alert" className={cn('text-sm text-destructive', className)}>
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

/**
 * A text input registered with a react-hook-form form, in its `Field`, showing the resolver's
 * (the contract's) error for it. `setValueAs` turns the text into what the contract takes (see
 * `@/lib/form-values`).
 */
export function InputField<T extends FieldValues, O>({
  form,
  name,
  id,
  label,
  hint,
  setValueAs,
  ...input
}: {
  form: UseFormReturn<T, unknown, O>;
  name: Path<T>;
  id: string;
  label: string;
  hint?: ReactNode;
  setValueAs?: (value: unknown) => unknown;
} & Omit<ComponentProps<'input'>, 'id' | 'name' | 'form'>) {
  const error = form.getFieldState(name, form.formState).error?.message;
  return (
    <Field id={id} label={label} error={error} hint={hint}>
      <Input {...input} {...controlProps(id, error)} {...form.register(name, setValueAs ? { setValueAs } : {})} />
    </Field>
  );
}
