// Node 20 lacks Object.groupBy / Map.groupBy (Node 21+). Vitest 5 uses them when it prints a
// failure, and the better-auth CLI at start-up; loaded with `node --import` where needed.
if (typeof Object.groupBy !== 'function') {
  Object.groupBy = (items, key) => {
    const out = Object.create(null);
    let i = 0;
    for (const item of items) (out[key(item, i++)] ??= []).push(item);
    return out;
  };
}
if (typeof Map.groupBy !== 'function') {
  Map.groupBy = (items, key) => {
    const out = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      if (!out.has(k)) out.set(k, []);
      out.get(k).push(item);
    }
    return out;
  };
}
