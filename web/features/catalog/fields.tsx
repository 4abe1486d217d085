// Small controls of the catalog editor, each bound to a field of the draft form (react-hook-form):
// number and money fields that keep what was typed (so the contract can say what is wrong with
// it), a price id list field, text cells, and the inline problem list. `path` is where the field
// sits in the catalog file (problems and ids use it); `name` is its place in the draft.
import { useState, type ComponentProps } from 'react';
import { useController, type Control, type FieldPathByValue } from 'react-hook-form';
import { controlProps, FieldError } from '@/components/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import {
  fieldId,
  majorToMinor,
  minorToMajor,
  numberTextToString,
  parseNumberText,
  type Draft,
  type NumberText,
} from './draft';

/** Keeps the typed text while it maps to the same value; follows the value when it changes elsewhere. */
function useSyncedText<T>(value: T, format: (v: T) => string, parse: (s: string) => T) {
  const [text, setText] = useState(() => format(value));
  const [last, setLast] = useState(value);
  if (value !== last) {
    setLast(value);
    if (parse(text) !== value) setText(format(value));
  }
  return [text, setText] as const;
}

type InputProps = Omit<ComponentProps<typeof Input>, 'value' | 'onChange' | 'name' | 'form'>;

/** The draft field's value and change handler (the element's id comes from its file path). */
function useDraftField<V>(control: Control<Draft>, name: FieldPathByValue<Draft, V>) {
  const { value, onChange, onBlur } = useController({ control, name }).field;
  return { value: value as V, onChange: onChange as (value: V) => void, onBlur };
}

/** A control bound to the draft field `name` whose value is a `V`. */
interface Bound<V> {
  control: Control<Draft>;
  name: FieldPathByValue<Draft, V>;
  path: string;
  problems: string[];
}

export function NumberInput({ control, name, path, problems, className, ...props }: InputProps & Bound<NumberText>) {
  const field = useDraftField<NumberText>(control, name);
  const [text, setText] = useSyncedText(field.value, numberTextToString, parseNumberText);
  return (
    <Input
      inputMode="numeric"
      className={cn('h-8 tabular-nums', className)}
      value={text}
      onBlur={field.onBlur}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        field.onChange(parseNumberText(e.target.value));
      }}
      {...props}
    />
  );
}

export function MoneyInput({
  control,
  name,
  currency,
  path,
  problems,
  className,
  ...props
}: InputProps & Bound<NumberText> & { currency: string }) {
  const field = useDraftField<NumberText>(control, name);
  const [text, setText] = useSyncedText(
    field.value,
    (v) => minorToMajor(v, currency),
    (s) => majorToMinor(s, currency),
  );
  return (
    <Input
      inputMode="decimal"
      className={cn('h-8 tabular-nums', className)}
      value={text}
      onBlur={field.onBlur}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        field.onChange(majorToMinor(e.target.value, currency));
      }}
      {...props}
    />
  );
}

const splitIds = (s: string) => s.split(/[\s,]+/).filter(Boolean);
const joinIds = (ids: string[]) => ids.join(', ');

export function PriceIdsInput({ control, name, path, problems, className, ...props }: InputProps & Bound<string[]>) {
  const field = useDraftField<string[]>(control, name);
  // Compared as text: the array is a new object on every edit.
  const [text, setText] = useSyncedText(
    joinIds(field.value),
    (v) => v,
    (s) => joinIds(splitIds(s)),
  );
  return (
    <Input
      className={cn('h-8 font-mono text-xs', className)}
      placeholder="price_…, price_…"
      spellCheck={false}
      value={text}
      onBlur={field.onBlur}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        field.onChange(splitIds(e.target.value));
      }}
      {...props}
    />
  );
}

/**
 * A text cell of the editor: the input and, right under it, the problems for it. `onChanged` runs
 * after the field took the new text (a feature's key carries its plans' entitlements along).
 */
export function TextField({
  control,
  name,
  path,
  problems,
  className,
  onChanged,
  ...props
}: InputProps & Bound<string> & { onChanged?: (next: string, previous: string) => void }) {
  const field = useDraftField<string>(control, name);
  return (
    <>
      <Input
        className={cn('h-8', className)}
        value={field.value}
        onBlur={field.onBlur}
        {...controlProps(fieldId(path), problems.length > 0)}
        onChange={(e) => {
          const previous = field.value;
          field.onChange(e.target.value);
          onChanged?.(e.target.value, previous);
        }}
        {...props}
      />
      <Problems path={path} problems={problems} />
    </>
  );
}

/** The problems for one field (the contract's and the server's), right under it. */
export function Problems({ path, problems }: { path: string; problems: string[] }) {
  if (!problems.length) return null;
  return (
    <FieldError id={fieldId(path)} className="mt-1 max-w-56 text-xs whitespace-normal">
      <ul className="flex flex-col gap-0.5">
        {problems.map((p) => (
          <li key={p}>{p}</li>
        ))}
      </ul>
    </FieldError>
  );
}
