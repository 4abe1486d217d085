// Every staff member changes their own password here: the current one, then the new one twice,
// checked against the same policy as the server (contracts/staff.ts). Success signs out their
// other browsers; this one stays signed in.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { changePasswordInput, PASSWORD_MIN_LENGTH, type ChangePasswordInput } from '../../../server/contracts/staff.ts';
import { controlProps, Field } from '@/components/field';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

const EMPTY: ChangePasswordInput = { currentPassword: '', newPassword: '', confirmPassword: '' };
const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

/** The server names the field it refused (a wrong current password); show it there, not in a toast. */
function refusedField(err: unknown): (typeof FIELDS)[number] | null {
  if (!(err instanceof TRPCClientError)) return null;
  const field = (err.data as { details?: { field?: string } } | undefined)?.details?.field;
  return FIELDS.find((f) => f === field) ?? null;
}

export function ChangePasswordCard() {
  const trpc = useTRPC();
  const form = useForm<ChangePasswordInput>({ resolver: zodResolver(changePasswordInput), defaultValues: EMPTY });
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: (r) => {
        form.reset(EMPTY);
        toast.success(
          r.otherSessionsEnded > 0
            ? `Password changed; ${r.otherSessionsEnded} other ${r.otherSessionsEnded === 1 ? 'session was' : 'sessions were'} signed out`
            : 'Password changed',
        );
      },
      onError: (err) => {
        const field = refusedField(err);
        if (field) form.setError(field, { message: err.message }, { shouldFocus: true });
        else toastError(err);
      },
    }),
  );
  const { errors } = form.formState;
  const input = (name: (typeof FIELDS)[number], id: string, autoComplete: string) => (
    <Input type="password" autoComplete={autoComplete} {...controlProps(id, errors[name])} {...form.register(name)} />
  );
  return (
    <Card>
      <CardHeader>
        <CardTitle>Your password</CardTitle>
        <CardDescription>Changing it signs you out everywhere else; this browser stays signed in.</CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="flex max-w-sm flex-col gap-4"
          aria-label="Change your password"
          noValidate
          onSubmit={(e) => void form.handleSubmit((values) => change.mutate(values))(e)}
        >
          <Field id="current-password" label="Current password" error={errors.currentPassword?.message}>
            {input('currentPassword', 'current-password', 'current-password')}
          </Field>
          <Field
            id="new-password"
            label="New password"
            error={errors.newPassword?.message}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`}
          >
            {input('newPassword', 'new-password', 'new-password')}
          </Field>
          <Field id="confirm-password" label="Repeat the new password" error={errors.confirmPassword?.message}>
            {input('confirmPassword', 'confirm-password', 'new-password')}
          </Field>
          <div>
            <Button type="submit" disabled={change.isPending}>
              {change.isPending ? 'Changing…' : 'Change password'}
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
