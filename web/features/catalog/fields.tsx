// Small controls of the catalog editor: number and money fields that keep what was typed (so the
// server can say what is wrong with it), a price id list field, text cells, and the inline problem list.
import { useState, type ComponentProps } from 'react';
import { controlProps, FieldError } from '@/components/field';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/utils';
import { fieldId, majorToMinor, minorToMajor, numberTextToString, parseNumberText, type NumberText } from './draft';

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

type InputProps = Omit<ComponentProps<typeof Input>, 'value' | 'onChange'>;

export function NumberInput({
  value,
  onChange,
  path,
  problems,
  className,
  ...props
}: InputProps & { value: NumberText; onChange: (v: NumberText) => void; path: string; problems: string[] }) {
  const [text, setText] = useSyncedText(value, numberTextToString, parseNumberText);
  return (
    <Input
      inputMode="numeric"
      className={cn('h-8 tabular-nums', className)}
      value={text}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseNumberText(e.target.value));
      }}
      {...props}
    />
  );
}

export function MoneyInput({
  value,
  currency,
  onChange,
  path,
  problems,
  className,
  ...props
}: InputProps & {
  value: NumberText;
  currency: string;
  onChange: (v: NumberText) => void;
  path: string;
  problems: string[];
}) {
  const [text, setText] = useSyncedText(
    value,
    (v) => minorToMajor(v, currency),
    (s) => majorToMinor(s, currency),
  );
  return (
    <Input
      inputMode="decimal"
      className={cn('h-8 tabular-nums', className)}
      value={text}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(majorToMinor(e.target.value, currency));
      }}
      {...props}
    />
  );
}

const splitIds = (s: string) => s.split(/[\s,]+/).filter(Boolean);
const joinIds = (ids: string[]) => ids.join(', ');

export function PriceIdsInput({
  value,
  onChange,
  path,
  problems,
  className,
  ...props
}: InputProps & { value: string[]; onChange: (v: string[]) => void; path: string; problems: string[] }) {
  // Compared as text: the array is a new object on every edit.
  const [text, setText] = useSyncedText(
    joinIds(value),
    (v) => v,
    (s) => joinIds(splitIds(s)),
  );
  return (
    <Input
      className={cn('h-8 font-mono text-xs', className)}
      placeholder="price_…, price_…"
      spellCheck={false}
      value={text}
      {...controlProps(fieldId(path), problems.length > 0)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(splitIds(e.target.value));
      }}
      {...props}
    />
  );
}

/** A text cell of the editor: the input and, right under it, the server's problems for it. */
export function TextField({
  value,
  onChange,
  path,
  problems,
  className,
  ...props
}: InputProps & { value: string; onChange: (v: string) => void; path: string; problems: string[] }) {
  return (
    <>
      <Input
        className={cn('h-8', className)}
        value={value}
        {...controlProps(fieldId(path), problems.length > 0)}
        onChange={(e) => onChange(e.target.value)}
        {...props}
      />
      <Problems path={path} problems={problems} />
    </>
  );
}

/** The server's problems for one field, right under it. */
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
