// Items about the same money belong together: a Checkout Session, its payment intent, its charge,
// the refund and the dispute on that charge. Ids are joined when one item names several of them
// (an event's object points to its payment intent) and through our payment rows, and each group
// is named after its first object (session, else invoice, else payment intent, else charge).
import type { DbOrTx } from '../../../db/tx.ts';

const ROOT_ORDER = ['cs_', 'in_', 'pi_', 'ch_', 'py_', 're_', 'pyr_', 'dp_', 'du_', 'sub_'];

function rootRank(id: string): number {
  const i = ROOT_ORDER.findIndex((p) => id.startsWith(p));
  return i === -1 ? ROOT_ORDER.length : i;
}

export async function linkChains(
  db: DbOrTx,
  customerId: string,
  items: Array<{ stripeIds: string[] }>,
): Promise<Array<string | null>> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const add = (id: string) => {
    if (!parent.has(id)) parent.set(id, id);
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    // The better-named root wins, so the group is called after its session or invoice.
    if (rootRank(ra) <= rootRank(rb)) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const joinAll = (ids: string[]) => {
    // A subscription spans many invoices: it names a chain only when nothing else does.
    const linkable = ids.filter((id) => !id.startsWith('sub_'));
    const group = linkable.length ? linkable : ids.slice(0, 1);
    for (const id of group) add(id);
    for (const id of group.slice(1)) union(group[0]!, id);
  };

  for (const item of items) joinAll(item.stripeIds);
  const ids = [...parent.keys()];
  if (ids.length) {
    const payments = await db.payment.findMany({
      where: {
        customerId,
        OR: [
          { checkoutSessionId: { in: ids } },
          { paymentIntentId: { in: ids } },
          { chargeId: { in: ids } },
          { invoiceId: { in: ids } },
        ],
      },
      select: { checkoutSessionId: true, paymentIntentId: true, chargeId: true, invoiceId: true },
    });
    for (const p of payments) {
      joinAll([p.checkoutSessionId, p.invoiceId, p.paymentIntentId, p.chargeId].filter((x): x is string => !!x));
    }
  }
  return items.map((item) => {
    const first = item.stripeIds.find((id) => !id.startsWith('sub_')) ?? item.stripeIds[0];
    return first && parent.has(first) ? find(first) : null;
  });
}
