// Prisma's startsWith / contains / endsWith become SQL LIKE without escaping the operand, so a
// search for "%" or "_" would match every row (issue 14, Low). Every prefix or substring search on
// text a user typed goes through this: PostgreSQL's default LIKE escape character is the backslash.

/** The text as a LIKE literal: backslash, % and _ escaped. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
