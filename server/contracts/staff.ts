import { z } from 'zod';

export const staffRole = z.enum(['support', 'finance', 'admin']);

export const createStaffInput = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100),
  email: z.email('Enter a valid email address').transform((v) => v.toLowerCase()),
  role: staffRole,
  password: z.string().min(10, 'At least 10 characters').max(128),
});
export type CreateStaffInput = z.infer<typeof createStaffInput>;

export const setStaffRoleInput = z.object({ userId: z.string().min(1), role: staffRole });
export const setStaffDisabledInput = z.object({
  userId: z.string().min(1),
  disabled: z.boolean(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
});
