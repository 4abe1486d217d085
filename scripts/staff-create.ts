// npm run staff:create -- --email you@example.com --role admin [--name "Your Name"]
// Creates a staff member (the first admin of a real deployment, typically). The password is read
// from stdin so it never appears in the shell history or the process list:
//   printf '%s' "$PASSWORD" | npm run staff:create -- --email you@example.com --role admin
// Audited as the system; the same policy and path as staff created in Settings.
import { parseArgs } from 'node:util';
import { boot } from '../server/boot.ts';
import { createStaffInput } from '../server/contracts/staff.ts';
import { EnvError, parseEnv } from '../server/env.ts';
import { AppError } from '../server/lib/app-error.ts';
import { createStaff } from '../server/modules/staff/create-staff.ts';

const USAGE =
  'usage: printf %s "$PASSWORD" | npm run staff:create -- --email you@example.com --role admin|finance|support [--name "Your Name"]';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Password (then Enter and Ctrl-D): ');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

let args: { email?: string; role?: string; name?: string };
try {
  args = parseArgs({
    options: { email: { type: 'string' }, role: { type: 'string' }, name: { type: 'string' } },
  }).values;
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
if (!args.email || !args.role) {
  console.error(USAGE);
  process.exit(2);
}

const input = createStaffInput.safeParse({
  email: args.email,
  role: args.role,
  name: args.name ?? args.email.split('@')[0],
  password: await readStdin(),
});
if (!input.success) {
  for (const issue of input.error.issues) console.error(`${issue.path.join('.') || 'input'}: ${issue.message}`);
  process.exit(1);
}

let code = 0;
try {
  const booted = await boot(parseEnv(process.env));
  try {
    const staff = await createStaff(
      booted.deps.prisma,
      booted.deps.auth,
      { type: 'system', id: 'staff-create-cli' },
      input.data,
    );
    console.log(`Created ${staff.role} ${staff.email} (${staff.id}).`);
  } finally {
    await booted.stop();
  }
} catch (err) {
  if (err instanceof EnvError || err instanceof AppError) console.error(err.message);
  else console.error(err);
  code = 1;
}
process.exit(code);
