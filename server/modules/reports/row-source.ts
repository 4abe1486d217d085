// Where an export reads its rows: node-postgres when the database URL is known (array rows, every
// value left as PostgreSQL's text, no parsing: the fast path), or the Prisma client otherwise. The
// export SQL formats every column itself, so both give the same cells.
import type { DbOrTx } from '../../db/tx.ts';

export type Cell = string | null;

export interface RowSource {
  rows(sql: string, params: unknown[]): Promise<Cell[][]>;
}

/** The slice of pg.Pool an export needs (no pg import in domain code). */
export interface PgQueryable {
  query(config: {
    text: string;
    values: unknown[];
    rowMode: 'array';
    types: { getTypeParser: () => (value: string) => string };
  }): Promise<{ rows: unknown[] }>;
}

const asText = { getTypeParser: () => (value: string) => value };

export function pgRowSource(pool: PgQueryable): RowSource {
  return {
    async rows(sql, params) {
      const res = await pool.query({ text: sql, values: params, rowMode: 'array', types: asText });
      return res.rows as Cell[][];
    },
  };
}

export function prismaRowSource(db: DbOrTx): RowSource {
  return {
    async rows(sql, params) {
      const rows = await db.$queryRawUnsafe<Array<Record<string, unknown>>>(sql, ...params);
      return rows.map((r) => Object.values(r).map((v) => (v === null || v === undefined ? null : String(v))));
    },
  };
}
