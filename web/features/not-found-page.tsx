import { Link } from 'react-router';
import { Button } from '@/components/ui/button';

export function NotFoundPage() {
  return (
    <div className="mx-auto mt-16 max-w-md text-center">
      <p className="font-mono text-sm text-muted-foreground">404</p>
      <h1 className="mt-2 text-xl font-semibold">There is no page at this address</h1>
      <p className="mt-2 text-sm text-muted-foreground">
        The link may be old, or the object it pointed to was never created here.
      </p>
      <Button asChild className="mt-6">
        <Link to="/customers">Go to customers</Link>
      </Button>
    </div>
  );
}
