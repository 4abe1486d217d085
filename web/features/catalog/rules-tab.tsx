// Rules: the grace period after a failed renewal, the auto-block rule for disputes, when a refund
// needs a second person, how far support may grant on its own, and the policy texts that support
// quotes and dispute evidence includes.
import type { ReactNode } from 'react';
import { controlProps, Field } from '@/components/field';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Textarea } from '@/components/ui/textarea';
import { formatMoney } from '@/lib/format';
import { fieldId, RULE_PATHS, type DraftRules, type NumberText } from './draft';
import { MoneyInput, NumberInput, Problems } from './fields';
import type { CatalogEditor } from './use-catalog-editor';

function Row({ path, label, hint, children }: { path: string; label: string; hint?: ReactNode; children: ReactNode }) {
  return (
    <Field id={fieldId(path)} label={label} hint={hint}>
      {children}
    </Field>
  );
}

export function RulesTab({ editor }: { editor: CatalogEditor }) {
  const { draft, problems, form } = editor;
  const { control, register } = form;
  const r = draft.rules;
  type NumberRule = { [K in keyof DraftRules]: DraftRules[K] extends NumberText ? K : never }[keyof DraftRules];
  const number = (key: NumberRule, className = 'w-28') => {
    const path = RULE_PATHS[key];
    return (
      <>
        <NumberInput
          className={className}
          path={path}
          problems={problems.at(path)}
          control={control}
          name={`rules.${key}`}
        />
        <Problems path={path} problems={problems.at(path)} />
      </>
    );
  };
  const text = (key: 'refundPolicy' | 'cancellationPolicy' | 'productDescription', label: string, hint: string) => {
    const path = RULE_PATHS[key];
    return (
      <Row path={path} label={label} hint={hint}>
        <Textarea
          rows={4}
          {...controlProps(fieldId(path), problems.at(path).length > 0)}
          {...register(`rules.${key}`)}
        />
        <Problems path={path} problems={problems.at(path)} />
      </Row>
    );
  };
  const above = typeof r.refundApprovalAbove === 'number' && /^[a-z]{3}$/i.test(r.refundApprovalCurrency);

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card>
        <CardHeader>
          <CardTitle>Failed renewals</CardTitle>
          <CardDescription>
            After invoice.payment_failed the plan stays this many days, then downgrades.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Row path={RULE_PATHS.gracePeriodDays} label="Grace period (days)">
            {number('gracePeriodDays')}
          </Row>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Auto-block</CardTitle>
          <CardDescription>Block an account after this many disputes within the window.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-4">
          <Row path={RULE_PATHS.autoBlockDisputes} label="Disputes">
            {number('autoBlockDisputes', 'w-20')}
          </Row>
          <Row path={RULE_PATHS.autoBlockWindowDays} label="Window (days)">
            {number('autoBlockWindowDays', 'w-24')}
          </Row>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Refund approval</CardTitle>
          <CardDescription>Refunds above this amount need a second person to approve.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-wrap gap-4">
          <Row
            path={RULE_PATHS.refundApprovalAbove}
            label="Above (amount)"
            hint={above ? `= ${formatMoney(r.refundApprovalAbove as number, r.refundApprovalCurrency)}` : undefined}
          >
            <MoneyInput
              className="w-32"
              currency={r.refundApprovalCurrency}
              path={RULE_PATHS.refundApprovalAbove}
              problems={problems.at(RULE_PATHS.refundApprovalAbove)}
              control={control}
              name="rules.refundApprovalAbove"
            />
            <Problems path={RULE_PATHS.refundApprovalAbove} problems={problems.at(RULE_PATHS.refundApprovalAbove)} />
          </Row>
          <Row path={RULE_PATHS.refundApprovalCurrency} label="Currency">
            <Input
              className="h-8 w-20 uppercase"
              maxLength={3}
              {...controlProps(
                fieldId(RULE_PATHS.refundApprovalCurrency),
                problems.at(RULE_PATHS.refundApprovalCurrency).length > 0,
              )}
              {...register('rules.refundApprovalCurrency', { setValueAs: (v: string) => v.toLowerCase() })}
            />
            <Problems
              path={RULE_PATHS.refundApprovalCurrency}
              problems={problems.at(RULE_PATHS.refundApprovalCurrency)}
            />
          </Row>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Manual grants</CardTitle>
          <CardDescription>Support grants up to this many credits alone; above it, finance or admin.</CardDescription>
        </CardHeader>
        <CardContent>
          <Row path={RULE_PATHS.manualGrantFinanceAbove} label="Support limit (credits)">
            {number('manualGrantFinanceAbove')}
          </Row>
        </CardContent>
      </Card>
      <Card className="lg:col-span-2">
        <CardHeader>
          <CardTitle>Policy texts</CardTitle>
          <CardDescription>Quoted to customers by support and included in dispute evidence.</CardDescription>
        </CardHeader>
        <CardContent className="flex flex-col gap-4">
          {text('refundPolicy', 'Refund policy', 'What can be refunded, and how used credits are counted.')}
          {text('cancellationPolicy', 'Cancellation policy', 'How and when a subscription ends.')}
          {text('productDescription', 'Product description', 'What the customer buys, in plain words.')}
        </CardContent>
      </Card>
    </div>
  );
}
