// Register an outbound endpoint: URL, description, event types. The server refuses bad URLs (not
// https, private addresses) with words shown under the field; the signing secret is shown once.
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { createEndpointInput, subscribableEventTypes } from '../../../server/contracts/outbound.ts';
import { FieldError, InputField } from '@/components/field';
import { SecretOnce } from '@/components/secret-once';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { describeError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

/** An endpoint's signing secret, right after it was made (on creation and on rotation). */
export function EndpointSecretOnce({ secret, onClose }: { secret: string; onClose: () => void }) {
  return (
    <SecretOnce
      title="Signing secret"
      description="Your backend verifies the Creditdesk-Signature header with it."
      secret={secret}
      words={{ field: 'The signing secret', copy: 'Copy the secret', copied: 'Secret copied' }}
      onClose={onClose}
    />
  );
}

export function CreateEndpointDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onCreated: () => Promise<unknown>;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        {open && <CreateEndpointForm onClose={() => onOpenChange(false)} onCreated={onCreated} />}
      </DialogContent>
    </Dialog>
  );
}

function CreateEndpointForm({ onClose, onCreated }: { onClose: () => void; onCreated: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const form = useForm<z.input<typeof createEndpointInput>, unknown, z.output<typeof createEndpointInput>>({
    resolver: zodResolver(createEndpointInput),
    defaultValues: { url: '', description: '', eventTypes: [] },
  });
  const { errors } = form.formState;
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(
    trpc.outbound.createEndpoint.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.secret);
        await onCreated();
      },
      // The server refuses a URL it will not call (not https, a private address): said under the URL.
      onError: (err) => form.setError('url', { message: describeError(err).message }, { shouldFocus: true }),
    }),
  );
  if (secret) return <EndpointSecretOnce secret={secret} onClose={onClose} />;
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(e) => void form.handleSubmit((input) => create.mutate(input))(e)}
    >
      <DialogHeader>
        <DialogTitle>Add an endpoint</DialogTitle>
        <DialogDescription>
          Creditdesk POSTs signed JSON events to this URL, retrying for 3 days when it fails.
        </DialogDescription>
      </DialogHeader>
      <InputField
        form={form}
        name="url"
        id="endpoint-url"
        label="URL"
        placeholder="https://api.example.com/webhooks/creditdesk"
      />
      <InputField form={form} name="description" id="endpoint-description" label="Description" />
      <fieldset
        className="flex flex-col gap-1.5"
        aria-describedby={errors.eventTypes ? 'endpoint-events-error' : undefined}
      >
        <legend className="mb-1 text-sm font-medium">Events (none ticked: every event)</legend>
        <div className="grid grid-cols-2 gap-1">
          {subscribableEventTypes.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input type="checkbox" value={t} {...form.register('eventTypes')} />
              <span className="font-mono text-xs">{t}</span>
            </label>
          ))}
        </div>
        <FieldError id="endpoint-events">{errors.eventTypes?.message}</FieldError>
      </fieldset>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Checking the URL…' : 'Add endpoint'}
        </Button>
      </DialogFooter>
    </form>
  );
}
