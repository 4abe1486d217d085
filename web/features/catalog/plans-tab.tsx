// Plans: what a subscription sells (monthly credits, rollover, the Stripe prices that buy it) and
// the entitlement grid, plan by feature. Exactly one plan is the default: what customers have
// without paying (it has no price).
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useFieldArray } from 'react-hook-form';
import type { EntitlementValue } from '../../../server/contracts/catalog.ts';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { cn } from '@/lib/utils';
import { emptyPlan, fieldId, type DraftFeature } from './draft';
import { NumberInput, PriceIdsInput, Problems, TextField } from './fields';
import type { CatalogEditor } from './use-catalog-editor';

function EntitlementCell({
  feature,
  value,
  label,
  path,
  problems,
  onChange,
}: {
  feature: DraftFeature;
  value: EntitlementValue | undefined;
  label: string;
  path: string;
  problems: string[];
  onChange: (v: EntitlementValue | undefined) => void;
}) {
  const invalid = problems.length > 0;
  const describedBy = invalid ? `${fieldId(path)}-error` : undefined;
  if (feature.type === 'boolean') {
    return (
      <input
        type="checkbox"
        id={fieldId(path)}
        aria-label={label}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        className={cn('size-4 accent-primary', invalid && 'outline-2 outline-destructive')}
        checked={value !== undefined}
        onChange={(e) => onChange(e.target.checked ? true : undefined)}
      />
    );
  }
  const mode = value === undefined ? 'off' : value === true ? 'unlimited' : 'limit';
  return (
    <div className="flex items-center gap-1">
      <NativeSelect
        id={fieldId(path)}
        aria-label={label}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        value={mode}
        onChange={(e) => {
          const next = e.target.value;
          onChange(next === 'off' ? undefined : next === 'unlimited' ? true : typeof value === 'number' ? value : 1);
        }}
      >
        <option value="off">off</option>
        <option value="limit">limit</option>
        <option value="unlimited">unlimited</option>
      </NativeSelect>
      {mode === 'limit' && (
        <Input
          aria-label={`${label}: limit`}
          inputMode="numeric"
          className="h-8 w-16 tabular-nums"
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (e.target.value !== '' && Number.isInteger(n) && n >= 0) onChange(n);
          }}
        />
      )}
    </div>
  );
}

export function PlansTab({ editor }: { editor: CatalogEditor }) {
  const { draft, problems, form } = editor;
  const { control, getValues, setValue } = form;
  const plans = useFieldArray({ control, name: 'plans' });
  const general = problems.at('plans');
  const setEntitlement = (i: number, feature: string, value: EntitlementValue | undefined) => {
    const next = { ...getValues(`plans.${i}.entitlements`) };
    if (value === undefined) delete next[feature];
    else next[feature] = value;
    setValue(`plans.${i}.entitlements`, next);
  };

  return (
    <div className="flex flex-col gap-6">
      <section aria-labelledby="plans-heading" className="flex flex-col gap-3">
        <div className="flex flex-wrap items-end justify-between gap-2">
          <div>
            <h2 id="plans-heading" className="text-base font-semibold">
              Plans
            </h2>
            <p className="text-sm text-muted-foreground">
              Monthly credits are granted with each paid invoice; rollover keeps unused ones. A Stripe price sells
              exactly one plan or pack.
            </p>
          </div>
          <Button variant="outline" size="sm" onClick={() => plans.append(emptyPlan(getValues()))}>
            <PlusIcon aria-hidden /> Add plan
          </Button>
        </div>
        {general.length > 0 && (
          <ul
            role="alert"
            className="flex flex-col gap-1 rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm text-destructive"
          >
            {general.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <Table aria-label="Plans">
          <TableHeader>
            <TableRow>
              <TableHead>Default</TableHead>
              <TableHead>Key</TableHead>
              <TableHead>Name</TableHead>
              <TableHead className="text-right">Monthly credits</TableHead>
              <TableHead>Rollover</TableHead>
              <TableHead>Stripe price ids</TableHead>
              <TableHead>
                <span className="sr-only">Remove</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {plans.fields.map((row, i) => {
              const p = draft.plans[i] ?? row;
              const at = (field: string) => `plans[${i}].${field}`;
              const label = p.name || p.key || `plan ${i + 1}`;
              return (
                <TableRow key={row.id}>
                  <TableCell className="align-top">
                    <input
                      type="radio"
                      name="default-plan"
                      id={fieldId(at('default'))}
                      aria-label={`${label} is the default plan`}
                      className="mt-2 size-4 accent-primary"
                      checked={p.default}
                      onChange={() => getValues('plans').forEach((_, j) => setValue(`plans.${j}.default`, j === i))}
                    />
                    <Problems path={at('default')} problems={problems.at(at('default'))} />
                  </TableCell>
                  <TableCell className="align-top">
                    <TextField
                      path={at('key')}
                      problems={problems.at(at('key'))}
                      aria-label={`Key of ${label}`}
                      className="h-8 w-36 font-mono text-xs"
                      spellCheck={false}
                      control={control}
                      name={`plans.${i}.key`}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <TextField
                      path={at('name')}
                      problems={problems.at(at('name'))}
                      aria-label={`Name of ${label}`}
                      className="h-8 w-40"
                      control={control}
                      name={`plans.${i}.name`}
                    />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <NumberInput
                      aria-label={`Monthly credits of ${label}`}
                      className="ml-auto w-28 text-right"
                      path={at('monthlyCredits')}
                      problems={problems.at(at('monthlyCredits'))}
                      control={control}
                      name={`plans.${i}.monthlyCredits`}
                    />
                    <Problems path={at('monthlyCredits')} problems={problems.at(at('monthlyCredits'))} />
                  </TableCell>
                  <TableCell className="align-top">
                    <input
                      type="checkbox"
                      id={fieldId(at('rollover'))}
                      aria-label={`${label} rolls unused credits over`}
                      className="mt-2 size-4 accent-primary"
                      checked={p.rollover}
                      onChange={(e) => setValue(`plans.${i}.rollover`, e.target.checked)}
                    />
                  </TableCell>
                  <TableCell className="min-w-64 align-top">
                    <PriceIdsInput
                      aria-label={`Stripe price ids of ${label}`}
                      path={at('stripePriceIds')}
                      problems={problems.under(at('stripePriceIds'))}
                      control={control}
                      name={`plans.${i}.stripePriceIds`}
                      disabled={p.default && p.stripePriceIds.length === 0}
                      placeholder={p.default ? 'none: the default plan is free' : undefined}
                    />
                    <Problems path={at('stripePriceIds')} problems={problems.under(at('stripePriceIds'))} />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <Button variant="ghost" size="icon" aria-label={`Remove ${label}`} onClick={() => plans.remove(i)}>
                      <Trash2Icon />
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </section>

      <section aria-labelledby="grid-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="grid-heading" className="text-base font-semibold">
            Entitlements
          </h2>
          <p className="text-sm text-muted-foreground">
            What each plan includes. Overrides and temporary grants on a customer can only add to this.
          </p>
        </div>
        <Table aria-label="Entitlements by plan and feature">
          <TableHeader>
            <TableRow>
              <TableHead>Feature</TableHead>
              {draft.plans.map((p, i) => (
                <TableHead key={i}>{p.name || p.key}</TableHead>
              ))}
            </TableRow>
          </TableHeader>
          <TableBody>
            {draft.features.map((f, row) => (
              <TableRow key={row}>
                <TableCell>
                  <span className="font-medium">{f.name || f.key}</span>{' '}
                  <span className="font-mono text-xs text-muted-foreground">{f.key}</span>
                </TableCell>
                {draft.plans.map((p, i) => {
                  const path = `plans[${i}].entitlements.${f.key}`;
                  return (
                    <TableCell key={i} className="align-top">
                      <EntitlementCell
                        feature={f}
                        value={p.entitlements[f.key]}
                        label={`${p.name || p.key}: ${f.name || f.key}`}
                        path={path}
                        problems={problems.at(path)}
                        onChange={(v) => setEntitlement(i, f.key, v)}
                      />
                      <Problems path={path} problems={problems.at(path)} />
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
        <UnknownEntitlements editor={editor} onRemove={(i, key) => setEntitlement(i, key, undefined)} />
      </section>
    </div>
  );
}

/** Entitlements naming a feature that is not in the list (from a file): shown so they can be removed. */
function UnknownEntitlements({
  editor,
  onRemove,
}: {
  editor: CatalogEditor;
  onRemove: (plan: number, feature: string) => void;
}) {
  const { draft, problems } = editor;
  const known = new Set(draft.features.map((f) => f.key));
  const unknown = draft.plans.flatMap((p, i) =>
    Object.keys(p.entitlements)
      .filter((k) => !known.has(k))
      .map((k) => ({ i, plan: p.name || p.key, key: k, path: `plans[${i}].entitlements.${k}` })),
  );
  if (!unknown.length) return null;
  return (
    <ul className="flex flex-col gap-1 text-sm">
      {unknown.map((u) => (
        <li key={u.path} className="flex flex-wrap items-center gap-2">
          <span id={fieldId(u.path)} tabIndex={-1} className="text-destructive">
            {u.plan}: {problems.at(u.path)[0] ?? `unknown feature "${u.key}"`}
          </span>
          <Button variant="outline" size="sm" onClick={() => onRemove(u.i, u.key)}>
            Remove from {u.plan}
          </Button>
        </li>
      ))}
    </ul>
  );
}
