// Register an outbound endpoint: URL, description, event types. The server refuses bad URLs (not
// https, private addresses) with words shown under the field; the signing secret is shown once.
import { useMutation } from '@tanstack/react-query';
import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { createEndpointInput, subscribableEventTypes } from '../../../server/contracts/outbound.ts';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { describeError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

export function SecretOnce({ secret, onClose }: { secret: string; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-4">
      <DialogHeader>
        <DialogTitle>Signing secret</DialogTitle>
        <DialogDescription>
          Copy it now: this is the only time it is shown. Your backend verifies the Creditdesk-Signature header with it.
        </DialogDescription>
      </DialogHeader>
      <div className="flex items-center gap-2">
        <Input
          readOnly
          aria-label="The signing secret"
          className="font-mono text-xs"
          value={secret}
          onFocus={(e) => e.target.select()}
        />
        <Button
          type="button"
          variant="outline"
          aria-label="Copy the secret"
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(() => {
              setCopied(true);
              toast.success('Secret copied');
            })
          }
        >
          {copied ? <CheckIcon /> : <CopyIcon />} {copied ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <DialogFooter>
        <Button type="button" onClick={onClose}>
          I have stored it
        </Button>
      </DialogFooter>
    </div>
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
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation(
    trpc.outbound.createEndpoint.mutationOptions({
      onSuccess: async (r) => {
        setSecret(r.secret);
        await onCreated();
      },
      onError: (err) => setError(describeError(err).message),
    }),
  );
  if (secret) return <SecretOnce secret={secret} onClose={onClose} />;
  return (
    <form
      className="flex flex-col gap-4"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = createEndpointInput.safeParse({ url, description, eventTypes: types });
        if (!parsed.success) {
          setError(parsed.error.issues[0]?.message ?? 'Check the URL');
          return;
        }
        setError(null);
        create.mutate(parsed.data);
      }}
    >
      <DialogHeader>
        <DialogTitle>Add an endpoint</DialogTitle>
        <DialogDescription>
          Creditdesk POSTs signed JSON events to this URL, retrying for 3 days when it fails.
        </DialogDescription>
      </DialogHeader>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="endpoint-url">URL</Label>
        <Input
          id="endpoint-url"
          placeholder="https://api.example.com/webhooks/creditdesk"
          value={url}
          aria-invalid={!!error}
          aria-describedby={error ? 'endpoint-url-error' : undefined}
          onChange={(e) => setUrl(e.target.value)}
        />
        {error && (
          <p id="endpoint-url-error" className="text-sm text-destructive">
            {error}
          </p>
        )}
      </div>
      <div className="flex flex-col gap-1.5">
        <Label htmlFor="endpoint-description">Description</Label>
        <Input id="endpoint-description" value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <fieldset className="flex flex-col gap-1.5">
        <legend className="mb-1 text-sm font-medium">Events (none ticked: every event)</legend>
        <div className="grid grid-cols-2 gap-1">
          {subscribableEventTypes.map((t) => (
            <label key={t} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={types.includes(t)}
                onChange={(e) => setTypes((s) => (e.target.checked ? [...s, t] : s.filter((x) => x !== t)))}
              />
              <span className="font-mono text-xs">{t}</span>
            </label>
          ))}
        </div>
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
