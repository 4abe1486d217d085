/** The customer page, optionally on a tab or with an object highlighted. */
export function customerPath(id: string, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params).toString();
  return `/customers/${id}${search ? `?${search}` : ''}`;
}
