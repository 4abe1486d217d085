// Lock keys shared by handlers: every id an event's effects touch, so two events about the same
// purchase, subscription or customer are applied one after the other.
type Ref = string | { id: string } | null | undefined;

export function ids(...refs: Ref[]): string[] {
  return refs.map((r) => (typeof r === 'string' ? r : r?.id)).filter((r): r is string => !!r);
}

export function userKey(userId: string | null | undefined): string | null {
  return userId ? `user:${userId}` : null;
}
