import type Stripe from 'stripe';
import type { Emulator } from '../emulator.ts';
import { newId } from '../ids.ts';

const TYPES: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'text/csv': 'csv',
  'text/plain': 'txt',
};

export function fileType(filename: string, contentType: string): string {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  return TYPES[contentType] ?? (ext === 'jpeg' ? 'jpg' : ext) ?? 'pdf';
}

export function buildFile(
  emu: Emulator,
  input: { purpose: Stripe.File.Purpose; filename: string; size: number; type: string },
): Stripe.File {
  const id = newId('file');
  const now = emu.now();
  return {
    id,
    object: 'file',
    created: now,
    expires_at: input.purpose === 'dispute_evidence' ? now + 9 * 30 * 86_400 : null,
    filename: input.filename,
    purpose: input.purpose,
    size: input.size,
    title: null,
    type: input.type,
    url: `${emu.baseUrl}/v1/files/${id}/contents`,
  };
}
