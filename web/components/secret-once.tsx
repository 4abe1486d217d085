// A secret shown once, right after it was made (a service API key, an endpoint's signing secret):
// only its hash or a sealed copy is kept, so this screen is the only chance to copy it.
import { CheckIcon, CopyIcon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import { toast } from 'sonner';
import { Button } from './ui/button';
import { DialogDescription, DialogFooter, DialogHeader, DialogTitle } from './ui/dialog';
import { Input } from './ui/input';

export function SecretOnce({
  title,
  description,
  secret,
  words,
  onClose,
}: {
  title: ReactNode;
  /** What it is for; the dialog adds that this is the only time it is shown. */
  description: ReactNode;
  secret: string;
  /** The field's name, the copy button's name and the toast after copying. */
  words: { field: string; copy: string; copied: string };
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex flex-col gap-4">
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>Copy it now: this is the only time it is shown. {description}</DialogDescription>
      </DialogHeader>
      <div className="flex items-center gap-2">
        <Input
          readOnly
          aria-label={words.field}
          className="font-mono text-xs"
          value={secret}
          onFocus={(e) => e.target.select()}
        />
        <Button
          type="button"
          variant="outline"
          aria-label={words.copy}
          onClick={() =>
            void navigator.clipboard?.writeText(secret).then(() => {
              setCopied(true);
              toast.success(words.copied);
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
