// Blocks: staff block with a reason (support, admin), unblock with a reason (finance, admin),
// the list of blocked customers and the block history. Shared by the procedures and the web.
import { z } from 'zod';
import { cursor, pageLimit } from './paging.ts';

const reason = z
  .string()
  .trim()
  .min(5, 'Say why in a few words (5 characters or more)')
  .max(500, 'Keep the reason under 500 characters');
const limit = pageLimit();

export const blockCustomerInput = z.object({ customerId: z.uuid('Not a customer id'), reason });
export type BlockCustomerInput = z.infer<typeof blockCustomerInput>;

export const unblockCustomerInput = blockCustomerInput;

export const listBlockedInput = z.object({ cursor, limit });

export const blockHistoryInput = z.object({ customerId: z.uuid().nullish(), cursor, limit });
