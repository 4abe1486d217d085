// A cursor bound as SQL: time, then the id tie-break.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CursorBound } from './cursor.ts';

/** Instants travel as ISO text (with its Z) cast to `timestamptz`: no session TimeZone involved. */
export function sqlTime(at: Date): Prisma.Sql {
  return Prisma.sql`${at.toISOString()}::timestamptz`;
}

export function sqlAfter(timeCol: Prisma.Sql, idCol: Prisma.Sql, bound: CursorBound, idCast: Prisma.Sql): Prisma.Sql {
  switch (bound.mode) {
    case 'none':
      return Prisma.sql`TRUE`;
    case 'before':
      return Prisma.sql`${timeCol} < ${sqlTime(bound.at)}`;
    case 'atOrBefore':
      return Prisma.sql`${timeCol} <= ${sqlTime(bound.at)}`;
    case 'beforeId':
      // The plain bound on time lets an index on time alone start at the cursor; the row
      // comparison then breaks the tie on id.
      return Prisma.sql`${timeCol} <= ${sqlTime(bound.at)} AND (${timeCol}, ${idCol}) < (${sqlTime(bound.at)}, ${bound.id}${idCast})`;
  }
}
