// Named (prepared once per connection) statements for Prisma's queries. Without a name, pg sends
// every parameterized statement unnamed, so PostgreSQL parses and plans it again on each use; the
// webhook pipeline runs a handful of ORM statements per event, each the same text event after event.
// Prisma's adapter asks for a name per query (PrismaPg's statementNameGenerator); the name is a
// hash of the text, so one text has one name on every connection. Bounded: PostgreSQL keeps each
// named statement for the life of its connection, so only the first MAX_NAMED distinct texts get
// names (the hot ones repeat from the start); the rest stay unnamed, as before.
import { createHash } from 'node:crypto';

const MAX_NAMED = 1000;

export interface NamedStatements {
  /** The name for this text, or '' (pg: unnamed) for a statement without parameters or past the bound. */
  nameFor(query: { sql: string; args: unknown[] }): string;
  /** How many distinct texts have a name (for tests). */
  readonly size: number;
}

export function namedStatements(max = MAX_NAMED): NamedStatements {
  const names = new Map<string, string>();
  return {
    nameFor({ sql, args }) {
      // No parameters: pg sends it as one simple query (BEGIN, COMMIT), already a single message.
      if (args.length === 0) return '';
      const known = names.get(sql);
      if (known !== undefined) return known;
      if (names.size >= max) return '';
      const name = `prisma_${createHash('sha1').update(sql).digest('base64url')}`;
      names.set(sql, name);
      return name;
    },
    get size() {
      return names.size;
    },
  };
}
