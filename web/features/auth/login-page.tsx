import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate, useSearchParams } from 'react-router';
import { signInInput, type SignInInput } from '../../../server/contracts/auth.ts';
import { InputField } from '@/components/field';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader } from '@/components/ui/card';
import { authClient } from '@/lib/auth-client';

function safeNext(next: string | null): string {
  // Only same-app paths: never an open redirect.
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/customers';
}

/** Words for a refused sign-in. Only a banned account is "disabled"; a refused origin says where to go. */
function signInErrorMessage(error: { status: number; code?: string; message?: string }): string {
  if (error.status === 429) return error.message ?? 'Too many failed sign-ins. Wait a few minutes and try again.';
  if (error.status === 401) return 'Email or password is not correct.';
  if (error.code === 'BANNED_USER') return 'This account is disabled. Ask an admin.';
  if (error.code === 'WRONG_ORIGIN') return error.message ?? 'Open Creditdesk at its own address.';
  return error.message ?? 'Sign-in failed.';
}

export function LoginPage() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignInInput>({ resolver: zodResolver(signInInput), defaultValues: { email: '', password: '' } });
  const { isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const { error } = await authClient.signIn.email(values);
    if (error) {
      setFormError(signInErrorMessage(error));
      return;
    }
    await queryClient.invalidateQueries();
    navigate(safeNext(params.get('next')), { replace: true });
  });

  return (
    <main className="flex min-h-screen items-center justify-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        <CardHeader>
          <h1 className="text-lg leading-none font-semibold">Sign in to Creditdesk</h1>
          <CardDescription>Support, finance and admin staff.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={(e) => void onSubmit(e)} className="flex flex-col gap-4" noValidate>
            <InputField form={form} name="email" id="email" label="Email" type="email" autoComplete="username" />
            <InputField
              form={form}
              name="password"
              id="password"
              label="Password"
              type="password"
              autoComplete="current-password"
            />
            {formError && (
              <p
                role="alert"
                className="rounded-md border border-destructive/30 bg-destructive/5 px-3 py-2 text-sm text-destructive"
              >
                {formError}
              </p>
            )}
            <Button type="submit" disabled={isSubmitting}>
              {isSubmitting ? 'Signing in…' : 'Sign in'}
            </Button>
          </form>
        </CardContent>
      </Card>
    </main>
  );
}
