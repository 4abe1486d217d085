// The reason box of every confirm form: Enter submits (Shift-Enter starts a new line), and the
// field says when it is invalid. Register it with react-hook-form like any textarea.
import type * as React from 'react';
import { Textarea } from './ui/textarea';

export function ReasonTextarea({
  id,
  invalid,
  onKeyDown,
  ...props
}: React.ComponentProps<'textarea'> & { id: string; invalid?: boolean }) {
  return (
    <Textarea
      id={id}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${id}-error` : undefined}
      {...props}
      onKeyDown={(e) => {
        onKeyDown?.(e);
        if (e.key === 'Enter' && !e.shiftKey && !e.defaultPrevented) {
          e.preventDefault();
          e.currentTarget.form?.requestSubmit();
        }
      }}
    />
  );
}
