import { useStaff } from '@/app/session';
import { PageHeader } from '@/components/states';
import { ApiKeysCard } from './api-keys-card';
import { ApiReferenceCard } from './api-reference-card';
import { ChangePasswordCard } from './change-password-card';
import { OutboundEndpointsCard } from './outbound-endpoints-card';
import { PoliciesCard } from './policies-card';
import { StaffCard } from './staff-card';
import { StripeConnectionCard } from './stripe-connection-card';

// Every role opens Settings for their own password; staff, keys and the API reference are admin's.
export function SettingsPage() {
  const { role } = useStaff();
  if (role !== 'admin') {
    return (
      <div className="flex flex-col gap-6">
        <PageHeader title="Settings" description="Your account." />
        <ChangePasswordCard />
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" description="Staff, API keys, policies and the Stripe connection." />
      <StripeConnectionCard />
      <PoliciesCard />
      <StaffCard />
      <ApiKeysCard />
      <OutboundEndpointsCard />
      <ApiReferenceCard />
      <ChangePasswordCard />
    </div>
  );
}
