// A cursor bound as SQL: time, then the id tie-break.
import { Prisma } from '../../../generated/prisma/client.ts';
import type { CursorBound } from './cursor.ts';

/** Timestamps travel as ISO text cast to `timestamp`: columns hold UTC without a zone. */
export function sqlTime(at: Date): Prisma.Sql {
  return Prisma.sql`${at.toISOString()}::timestamp`;
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
