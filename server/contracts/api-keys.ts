import { z } from 'zod';

export const createApiKeyInput = z.object({ name: z.string().trim().min(1, 'Give the key a name').max(100) });
export const revokeApiKeyInput = z.object({
  id: z.uuid(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
});
