import { PageHeader } from '@/components/states';

/** An honest placeholder for screens whose issue has not landed yet: no fake data. */
export function NotBuiltPage({ title, issue, description }: { title: string; issue: string; description: string }) {
  return (
    <div>
      <PageHeader title={title} description={description} />
      <div className="rounded-lg border border-dashed px-6 py-12 text-center text-sm text-muted-foreground">
        This screen is not built yet ({issue}). Nothing here is shown until it works for real.
      </div>
    </div>
  );
}
