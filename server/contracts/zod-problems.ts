// zod issues as the flat list clients get: one entry per problem, with a readable field path
// ("plans[1].entitlements.video", "metadata.model"), never a stack or a schema dump.
import type { z } from 'zod';

export interface FieldProblem {
  path: string;
  message: string;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function zodProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}

/** The problems as one sentence for a message: "customerId: Not a customer id; limit: too big". */
export function zodProblemWords(error: z.ZodError): string {
  return zodProblems(error)
    .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
    .join('; ');
}
