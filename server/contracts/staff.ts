import { z } from 'zod';

const staffRole = z.enum(['support', 'finance', 'admin']);

// The staff password policy, one home for the server, the forms and `npm run staff:create`:
// at least 12 characters, not one of the passwords attackers try first.
export const PASSWORD_MIN_LENGTH = 12;
const COMMON_PASSWORDS = new Set([
  '123456789012',
  '1234567890123',
  'password1234',
  'password12345',
  'passwordpassword',
  'qwertyuiopas',
  'qwerty123456',
  '111111111111',
  '000000000000',
  'aaaaaaaaaaaa',
  'abcdefghijkl',
  'abc123abc123',
  'iloveyou1234',
  'letmein12345',
  'welcome12345',
  'admin1234567',
  'administrator',
  'changeme1234',
  'creditdesk123',
  'creditdesk1234',
  'support-demo-pass',
  'finance-demo-pass',
  'admin-demo-pass',
  'correcthorsebatterystaple',
  'trustno1trustno1',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'dragon123456',
  'monkey123456',
  'starwars1234',
  'superman1234',
  'p@ssw0rd1234',
  'passw0rd1234',
  'q1w2e3r4t5y6',
  '1q2w3e4r5t6y',
  'zaq12wsxcde3',
  'asdfghjkl123',
  'mypassword12',
]);
const staffPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`)
  .max(128, 'At most 128 characters')
  .refine((v) => !COMMON_PASSWORDS.has(v.toLowerCase()), 'This password is too common: choose another');

export const changePasswordInput = z
  .object({
    currentPassword: z.string().min(1, 'Enter your current password'),
    newPassword: staffPassword,
    confirmPassword: z.string(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ['confirmPassword'], message: 'The passwords differ' })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ['newPassword'], message: 'Choose a new password' });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const createStaffInput = z.object({
  name: z.string().trim().min(1, 'Enter a name').max(100),
  email: z.email('Enter a valid email address').transform((v) => v.toLowerCase()),
  role: staffRole,
  password: staffPassword,
});
export type CreateStaffInput = z.infer<typeof createStaffInput>;

export const setStaffRoleInput = z.object({ userId: z.string().min(1), role: staffRole });
export const setStaffDisabledInput = z.object({
  userId: z.string().min(1),
  disabled: z.boolean(),
  reason: z.string().trim().min(3, 'Say why (at least 3 characters)').max(500),
});
