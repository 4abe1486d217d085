// What every cursor-paged list takes: an opaque cursor from the previous page's `nextCursor`
// (absent: the first page) and a page size.
import { z } from 'zod';

export const cursor = z.string().max(200).nullish();
export const pageLimit = (max = 100, fallback = 25) => z.number().int().min(1).max(max).default(fallback);
