// The four report charts (Recharts), one currency at a time for money: revenue per month split
// subscriptions vs credit packs, refunds per month, disputes per month with rate and win rate, and
// credits issued vs consumed vs expired. Colours come from the theme, so dark mode follows. No
// entry animation: the numbers are there at once (a 1.5 s grow-in only delays reading them).
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { formatCredits, formatMoney } from '@/lib/format';
import type { RouterOutputs } from '@/lib/trpc';
import { moneyTickLabel, moneyTicks } from './money-ticks';

type Charts = RouterOutputs['reports']['charts'];

const COLORS = {
  a: 'var(--color-primary)',
  b: 'oklch(0.6 0.12 250)',
  c: 'var(--color-warning)',
  danger: 'var(--color-destructive)',
  good: 'var(--color-success)',
  grid: 'var(--color-border, #e5e5e5)',
  text: 'var(--color-muted-foreground)',
};

const axis = { stroke: COLORS.text, fontSize: 12, tickLine: false } as const;
const tooltipStyle = {
  contentStyle: { background: 'var(--color-background, #fff)', borderRadius: 6, fontSize: 12 },
  labelStyle: { color: 'var(--color-foreground, #111)' },
} as const;

function ChartCard({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: React.ReactNode;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="h-64 pt-2">{children}</CardContent>
    </Card>
  );
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function ReportCharts({ data, currency }: { data: Charts; currency: string }) {
  const money = (minor: number) => formatMoney(minor, currency);
  const tick = (minor: number) => moneyTickLabel(minor, currency);
  const revenue = data.months.map((month) => {
    const r = data.revenue.find((x) => x.month === month && x.currency === currency);
    return { month, Subscriptions: r?.subscriptions ?? 0, 'Credit packs': r?.packs ?? 0 };
  });
  const refunds = data.months.map((month) => {
    const r = data.refunds.find((x) => x.month === month && x.currency === currency);
    return { month, Refunded: r?.amount ?? 0, count: r?.count ?? 0 };
  });
  const revenueTicks = moneyTicks(Math.max(0, ...revenue.map((r) => r.Subscriptions + r['Credit packs'])), currency);
  const refundTicks = moneyTicks(Math.max(0, ...refunds.map((r) => r.Refunded)), currency);
  const disputes = data.disputes.map((d) => ({ month: d.month, Opened: d.opened, Won: d.won, Lost: d.lost }));
  const credits = data.credits.map((c) => ({
    month: c.month,
    Issued: c.issued,
    Consumed: c.consumed,
    Expired: c.expired,
  }));
  const totals = data.disputeTotals;

  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <ChartCard
        title="Revenue per month"
        description={`Paid payments in ${currency.toUpperCase()}: subscriptions vs credit packs.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={revenue} accessibilityLayer>
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis dataKey="month" {...axis} />
            <YAxis
              {...axis}
              ticks={revenueTicks}
              domain={[0, revenueTicks.at(-1)!]}
              interval={0}
              tickFormatter={tick}
              width={80}
            />
            <Tooltip {...tooltipStyle} formatter={(v) => money(Number(v))} />
            <Legend />
            <Bar dataKey="Subscriptions" stackId="rev" fill={COLORS.a} isAnimationActive={false} />
            <Bar dataKey="Credit packs" stackId="rev" fill={COLORS.b} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Refunds per month"
        description={`Money refunded or on its way back, in ${currency.toUpperCase()}.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={refunds} accessibilityLayer>
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis dataKey="month" {...axis} />
            <YAxis
              {...axis}
              ticks={refundTicks}
              domain={[0, refundTicks.at(-1)!]}
              interval={0}
              tickFormatter={tick}
              width={80}
            />
            <Tooltip
              {...tooltipStyle}
              formatter={(v, _n, item) => [
                `${money(Number(v))} (${(item.payload as { count: number }).count} refunds)`,
                'Refunded',
              ]}
            />
            <Bar dataKey="Refunded" fill={COLORS.danger} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Disputes"
        description={`${totals.opened} opened in the range; rate ${pct(totals.rate)} of paid payments; win rate ${totals.winRate === null ? '— (none decided)' : pct(totals.winRate)}.`}
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={disputes} accessibilityLayer>
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis dataKey="month" {...axis} />
            <YAxis {...axis} allowDecimals={false} width={40} />
            <Tooltip {...tooltipStyle} />
            <Legend />
            <Bar dataKey="Opened" fill={COLORS.c} isAnimationActive={false} />
            <Bar dataKey="Won" fill={COLORS.good} isAnimationActive={false} />
            <Bar dataKey="Lost" fill={COLORS.danger} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartCard>
      <ChartCard
        title="Credits"
        description="Issued (grants, purchases, plan credits) vs consumed (net of reversals) vs expired."
      >
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={credits} accessibilityLayer>
            <CartesianGrid vertical={false} stroke={COLORS.grid} />
            <XAxis dataKey="month" {...axis} />
            <YAxis {...axis} tickFormatter={(v: number) => formatCredits(v)} width={70} />
            <Tooltip {...tooltipStyle} formatter={(v) => formatCredits(Number(v))} />
            <Legend />
            <Line
              type="monotone"
              dataKey="Issued"
              stroke={COLORS.a}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="Consumed"
              stroke={COLORS.b}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
            <Line
              type="monotone"
              dataKey="Expired"
              stroke={COLORS.c}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />
          </LineChart>
        </ResponsiveContainer>
      </ChartCard>
    </div>
  );
}
