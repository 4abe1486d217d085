import { PageHeader } from '@/components/states';
import { ApiKeysCard } from './api-keys-card';
import { ApiReferenceCard } from './api-reference-card';
import { StaffCard } from './staff-card';

export function SettingsPage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" description="Staff, API keys, policies and the Stripe connection." />
      <StaffCard />
      <ApiKeysCard />
      <ApiReferenceCard />
    </div>
  );
}
