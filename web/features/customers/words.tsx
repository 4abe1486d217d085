// Server text arrives as plain words with tokens for numbers ({{money 600 eur}}, {{credits 500}},
// {{date <iso>}}, and {{day <iso>}} / {{hour <iso>}} for UTC calendar parts); formatting stays in web/lib/format.ts, so every amount and time on the page
// looks the same.
import { Fragment, type ReactNode } from 'react';
import { TimeAgo } from '@/components/time-ago';
import { formatCredits, formatMoney, formatUtc } from '@/lib/format';

const TOKEN = /\{\{(money|credits|date|at|day|hour) ([^}]+)\}\}/g;

function calendar(kind: 'day' | 'hour' | 'at', iso: string): string {
  const utc = formatUtc(iso);
  if (kind === 'at') return `${utc.slice(0, 16)} UTC`;
  return kind === 'day' ? utc.slice(0, 10) : utc.slice(11, 16);
}

function renderWords(text: string, options: { dates?: 'relative' | 'utc' } = {}): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const index = match.index ?? 0;
    if (index > last) out.push(text.slice(last, index));
    const [, kind, args] = match;
    const parts = (args ?? '').trim().split(/\s+/);
    if (kind === 'money') {
      out.push(
        <span key={index} className="tabular-nums">
          {formatMoney(Number(parts[0]), parts[1] ?? 'eur')}
        </span>,
      );
    } else if (kind === 'credits') {
      out.push(
        <span key={index} className="tabular-nums">
          {formatCredits(Number(parts[0]))}
        </span>,
      );
    } else if (kind === 'day' || kind === 'hour' || kind === 'at') {
      out.push(<Fragment key={index}>{calendar(kind, parts[0] ?? '')}</Fragment>);
    } else {
      const iso = parts[0] ?? '';
      out.push(
        options.dates === 'utc' ? (
          <Fragment key={index}>{formatUtc(iso)}</Fragment>
        ) : (
          <TimeAgo key={index} date={iso} />
        ),
      );
    }
    last = index + match[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** Plain text (for titles, aria labels and dialogs that restate an effect). */
export function plainWords(text: string): string {
  return text.replace(TOKEN, (_m, kind: string, args: string) => {
    const parts = args.trim().split(/\s+/);
    if (kind === 'money') return formatMoney(Number(parts[0]), parts[1] ?? 'eur');
    if (kind === 'credits') return formatCredits(Number(parts[0]));
    if (kind === 'day' || kind === 'hour' || kind === 'at') return calendar(kind, parts[0] ?? '');
    return formatUtc(parts[0] ?? '');
  });
}

export function Words({ text, dates }: { text: string; dates?: 'relative' | 'utc' }) {
  return <>{renderWords(text, { dates })}</>;
}
