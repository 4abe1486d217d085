/** The dispute page. */
export function disputePath(id: string): string {
  return `/disputes/${encodeURIComponent(id)}`;
}
