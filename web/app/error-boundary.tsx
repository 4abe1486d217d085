import { Component, type ErrorInfo, type ReactNode } from 'react';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Button } from '@/components/ui/button';

function Fallback({ message }: { message: string }) {
  return (
    <div role="alert" className="mx-auto mt-24 max-w-md rounded-lg border p-8 text-center">
      <h1 className="text-lg font-semibold">This page hit an unexpected problem</h1>
      <p className="mt-2 text-sm text-muted-foreground">{message}</p>
      <div className="mt-6 flex justify-center gap-2">
        <Button variant="outline" onClick={() => window.location.reload()}>
          Reload
        </Button>
        <Button asChild>
          <Link to="/customers">Go to customers</Link>
        </Button>
      </div>
    </div>
  );
}

/** Used as the router's errorElement. */
export function RouteErrorPage() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Unknown error';
  return <Fallback message={message} />;
}

/** Catches render errors outside the router. */
export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('Render error', error, info.componentStack);
  }

  override render() {
    return this.state.error ? <Fallback message={this.state.error.message} /> : this.props.children;
  }
}
