// Credit packs: one-off purchases. A pack grants its credits once per paid Checkout Session; the
// credits expire after the given number of days (empty: never). Changes apply to future purchases.
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useFieldArray } from 'react-hook-form';
import { EmptyState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { emptyPack } from './draft';
import { NumberInput, PriceIdsInput, Problems, TextField } from './fields';
import type { CatalogEditor } from './use-catalog-editor';

export function PacksTab({ editor }: { editor: CatalogEditor }) {
  const { draft, problems, form } = editor;
  const { control, getValues } = form;
  const packs = useFieldArray({ control, name: 'creditPacks' });
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-muted-foreground">
        Changing a pack changes what future purchases grant; credits already bought keep their amount and expiry.
      </p>
      {draft.creditPacks.length === 0 ? (
        <EmptyState title="No credit packs">Add a pack and the Stripe price that sells it.</EmptyState>
      ) : (
        <Table aria-label="Credit packs">
          <TableHeader>
            <TableRow>
              <TableHead>Key</TableHead>
              <TableHead>Name</TableHead>
              <TableHead className="text-right">Credits</TableHead>
              <TableHead>Stripe price ids</TableHead>
              <TableHead className="text-right">Expires after (days)</TableHead>
              <TableHead>
                <span className="sr-only">Remove</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {packs.fields.map((row, i) => {
              const p = draft.creditPacks[i] ?? row;
              const at = (field: string) => `creditPacks[${i}].${field}`;
              const label = p.name || p.key || `pack ${i + 1}`;
              return (
                <TableRow key={row.id}>
                  <TableCell className="align-top">
                    <TextField
                      path={at('key')}
                      problems={problems.at(at('key'))}
                      aria-label={`Key of ${label}`}
                      className="h-8 w-36 font-mono text-xs"
                      spellCheck={false}
                      control={control}
                      name={`creditPacks.${i}.key`}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <TextField
                      path={at('name')}
                      problems={problems.at(at('name'))}
                      aria-label={`Name of ${label}`}
                      className="h-8 w-44"
                      control={control}
                      name={`creditPacks.${i}.name`}
                    />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <NumberInput
                      aria-label={`Credits of ${label}`}
                      className="ml-auto w-28 text-right"
                      path={at('credits')}
                      problems={problems.at(at('credits'))}
                      control={control}
                      name={`creditPacks.${i}.credits`}
                    />
                    <Problems path={at('credits')} problems={problems.at(at('credits'))} />
                  </TableCell>
                  <TableCell className="min-w-64 align-top">
                    <PriceIdsInput
                      aria-label={`Stripe price ids of ${label}`}
                      path={at('stripePriceIds')}
                      problems={problems.under(at('stripePriceIds'))}
                      control={control}
                      name={`creditPacks.${i}.stripePriceIds`}
                    />
                    <Problems path={at('stripePriceIds')} problems={problems.under(at('stripePriceIds'))} />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <NumberInput
                      aria-label={`Days until credits of ${label} expire`}
                      className="ml-auto w-24 text-right"
                      placeholder="never"
                      path={at('expiresAfterDays')}
                      problems={problems.at(at('expiresAfterDays'))}
                      control={control}
                      name={`creditPacks.${i}.expiresAfterDays`}
                    />
                    <Problems path={at('expiresAfterDays')} problems={problems.at(at('expiresAfterDays'))} />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <Button variant="ghost" size="icon" aria-label={`Remove ${label}`} onClick={() => packs.remove(i)}>
                      <Trash2Icon />
                    </Button>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
      <div>
        <Button variant="outline" size="sm" onClick={() => packs.append(emptyPack(getValues()))}>
          <PlusIcon aria-hidden /> Add credit pack
        </Button>
      </div>
    </div>
  );
}
