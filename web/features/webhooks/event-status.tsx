// The one vocabulary for a stored event's status (and a dry run's outcome): green settled, amber
// waiting, red needs a person, neutral informational.
import { Badge } from '@/components/ui/badge';

const TONES: Record<string, 'success' | 'warning' | 'danger' | 'neutral'> = {
  processed: 'success',
  ignored: 'neutral',
  received: 'warning',
  deferred: 'warning',
  failed: 'danger',
  error: 'danger',
};

const WORDS: Record<string, string> = {
  processed: 'processed',
  ignored: 'ignored',
  received: 'received',
  deferred: 'deferred (retrying)',
  failed: 'failed',
  error: 'error',
};

export function EventStatusBadge({ status, prefix }: { status: string; prefix?: string }) {
  return (
    <Badge tone={TONES[status] ?? 'neutral'}>
      {prefix}
      {WORDS[status] ?? status}
    </Badge>
  );
}
