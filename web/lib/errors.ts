// One road for errors in the UI: any thrown value becomes words for a toast or an inline message.
import { TRPCClientError } from '@trpc/client';
import { toast } from 'sonner';

export interface ErrorInfo {
  message: string;
  code: string | null;
  fieldErrors: Record<string, string[] | undefined> | null;
}

export function describeError(error: unknown): ErrorInfo {
  if (error instanceof TRPCClientError) {
    const data = error.data as
      { appCode?: string | null; code?: string; fieldErrors?: ErrorInfo['fieldErrors'] } | undefined;
    const code = data?.appCode ?? data?.code ?? null;
    if (data?.code === 'UNAUTHORIZED')
      return { message: 'Your session has ended. Sign in again.', code, fieldErrors: null };
    if (data?.code === 'FORBIDDEN')
      return { message: error.message || 'Your role cannot do this.', code, fieldErrors: null };
    return { message: error.message || 'Something went wrong.', code, fieldErrors: data?.fieldErrors ?? null };
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    return {
      message: 'The server cannot be reached. Check your connection and retry.',
      code: 'NETWORK',
      fieldErrors: null,
    };
  }
  if (error instanceof Error) return { message: error.message, code: null, fieldErrors: null };
  return { message: 'Something went wrong.', code: null, fieldErrors: null };
}

export function toastError(error: unknown, title?: string): void {
  const info = describeError(error);
  toast.error(title ?? info.message, title ? { description: info.message } : undefined);
}
