// Minimal HTML helpers for the emulator's own pages (hosted Checkout, dashboard).

export function esc(v: unknown): string {
  return String(v ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function money(amount: number | null | undefined, currency: string | null | undefined): string {
  const cur = (currency ?? 'usd').toUpperCase();
  return `${cur} ${((amount ?? 0) / 100).toFixed(2)}`;
}

export function time(unix: number | null | undefined): string {
  return unix ? new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19) : '';
}

export function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
${head}
<style>
  body { font-family: system-ui, -apple-system, Segoe UI, sans-serif; margin: 0; color: #1a1f36; background: #f6f9fc; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 28px; }
  table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
  th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
  th { background: #f0f3f7; font-weight: 600; }
  code { font-size: 12px; }
  .card { background: #fff; border: 1px solid #e3e8ee; border-radius: 8px; padding: 20px; margin: 16px 0; }
  .pill { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; background: #e3e8ee; }
  .ok { background: #d7f7c2; } .bad { background: #ffe0e0; } .warn { background: #fcedb9; }
  .error { color: #b3093c; background: #ffe0e0; padding: 10px; border-radius: 6px; }
  button { background: #635bff; color: #fff; border: 0; border-radius: 6px; padding: 10px 18px; font-size: 15px; cursor: pointer; }
  label.method { display: block; padding: 10px; border: 1px solid #e3e8ee; border-radius: 6px; margin: 6px 0; background: #fff; }
  input[type=email], input[type=text] { padding: 8px; width: 100%; box-sizing: border-box; border: 1px solid #cfd7df; border-radius: 6px; }
  nav a { margin-right: 14px; }
  .muted { color: #697386; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}
