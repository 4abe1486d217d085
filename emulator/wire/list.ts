// Stripe list objects: newest first, `limit` 1..100 (default 10), cursor by object id with
// `starting_after` (older) or `ending_before` (newer), and `has_more`.
import { invalidRequest, paramError } from './errors.ts';
import type { Params } from './params.ts';

export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function listOf<T>(data: T[], url: string, hasMore = false): ListObject<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

/** `newestFirst` must already be filtered; only the page is returned. */
export function paginate<T extends { id: string }>(newestFirst: T[], params: Params, url: string): ListObject<T> {
  const limit = params.int('limit') ?? 10;
  if (limit < 1 || limit > 100) {
    throw paramError(
      'parameter_invalid_integer',
      limit < 1 ? 'This value must be greater than or equal to 1.' : 'This value must be less than or equal to 100.',
      'limit',
    );
  }
  const after = params.str('starting_after');
  const before = params.str('ending_before');
  if (after && before)
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.');
  if (after) {
    const i = newestFirst.findIndex((o) => o.id === after);
    if (i === -1) throw invalidRequest(`No such object: '${after}'`, 'starting_after', 'resource_missing');
    const rest = newestFirst.slice(i + 1);
    return listOf(rest.slice(0, limit), url, rest.length > limit);
  }
  if (before) {
    const i = newestFirst.findIndex((o) => o.id === before);
    if (i === -1) throw invalidRequest(`No such object: '${before}'`, 'ending_before', 'resource_missing');
    // The page closest to the cursor, still newest first; has_more says newer ones remain.
    const newer = newestFirst.slice(0, i);
    const page = newer.slice(Math.max(0, newer.length - limit));
    return listOf(page, url, newer.length > limit);
  }
  return listOf(newestFirst.slice(0, limit), url, newestFirst.length > limit);
}

export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
  total_count?: number;
}

export function searchPage<T>(matches: T[], params: Params, url: string): SearchResult<T> {
  const limit = params.int('limit') ?? 10;
  const start = Number(params.str('page') ?? '0') || 0;
  const data = matches.slice(start, start + limit);
  const more = matches.length > start + limit;
  return { object: 'search_result', data, has_more: more, next_page: more ? String(start + limit) : null, url };
}
