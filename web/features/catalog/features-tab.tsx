// Features: what the product can do, on/off or with a limit, and what one use costs in credits.
// Renaming or removing a feature carries through to every plan's entitlements.
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { useFieldArray } from 'react-hook-form';
import { EmptyState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { emptyFeature, fieldId, type Draft } from './draft';
import { NumberInput, Problems, TextField } from './fields';
import type { CatalogEditor } from './use-catalog-editor';

/** Each plan's entitlements after `change` (only the plans it changed are written back). */
function updateEntitlements(
  editor: CatalogEditor,
  change: (entitlements: Draft['plans'][number]['entitlements']) => boolean,
) {
  const { getValues, setValue } = editor.form;
  getValues('plans').forEach((plan, j) => {
    const next = { ...plan.entitlements };
    if (change(next)) setValue(`plans.${j}.entitlements`, next);
  });
}

export function FeaturesTab({ editor }: { editor: CatalogEditor }) {
  const { draft, problems, form } = editor;
  const { control, getValues, setValue } = form;
  const features = useFieldArray({ control, name: 'features' });
  const renamed = (i: number, next: string, old: string) => {
    // Carry the plans along, unless the new key is another feature's (then the contract says so).
    const others = getValues('features').filter((_, j) => j !== i);
    if (old === next || others.some((f) => f.key === next || f.key === old)) return;
    updateEntitlements(editor, (e) => {
      if (!(old in e)) return false;
      e[next] = e[old]!;
      delete e[old];
      return true;
    });
  };
  const remove = (i: number) => {
    const gone = getValues(`features.${i}.key`);
    features.remove(i);
    if (!getValues('features').some((f) => f.key === gone)) {
      updateEntitlements(editor, (e) => gone in e && delete e[gone]);
    }
  };

  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm text-muted-foreground">
        An on/off feature is either included in a plan or not; a limit feature carries a number (for example concurrent
        jobs). Credits per use is the default cost the service API charges; leave it empty for a free feature.
      </p>
      {draft.features.length === 0 ? (
        <EmptyState title="No features yet">Add the first feature, then include it in plans.</EmptyState>
      ) : (
        <Table aria-label="Features">
          <TableHeader>
            <TableRow>
              <TableHead>Key</TableHead>
              <TableHead>Name</TableHead>
              <TableHead>Type</TableHead>
              <TableHead className="text-right">Credits per use</TableHead>
              <TableHead>
                <span className="sr-only">Remove</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {features.fields.map((row, i) => {
              const f = draft.features[i] ?? row;
              const at = (field: string) => `features[${i}].${field}`;
              const label = f.name || f.key || `feature ${i + 1}`;
              return (
                <TableRow key={row.id} className="align-top">
                  <TableCell className="align-top">
                    <TextField
                      control={control}
                      name={`features.${i}.key`}
                      path={at('key')}
                      problems={problems.at(at('key'))}
                      aria-label={`Key of ${label}`}
                      className="h-8 w-48 font-mono text-xs"
                      spellCheck={false}
                      onChanged={(next, old) => renamed(i, next, old)}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <TextField
                      path={at('name')}
                      problems={problems.at(at('name'))}
                      aria-label={`Name of ${label}`}
                      className="h-8 w-56"
                      control={control}
                      name={`features.${i}.name`}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <NativeSelect
                      id={fieldId(at('type'))}
                      aria-label={`Type of ${label}`}
                      value={f.type}
                      onChange={(e) => {
                        const type = e.target.value as 'boolean' | 'limit';
                        setValue(`features.${i}.type`, type);
                        // A limit becomes "on" when the feature turns on/off.
                        if (type === 'boolean') {
                          updateEntitlements(editor, (ent) => f.key in ent && (ent[f.key] = true));
                        }
                      }}
                    >
                      <option value="boolean">on/off</option>
                      <option value="limit">limit</option>
                    </NativeSelect>
                    <Problems path={at('type')} problems={problems.at(at('type'))} />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <NumberInput
                      aria-label={`Credits per use of ${label}`}
                      className="ml-auto w-24 text-right"
                      placeholder="free"
                      path={at('creditCost')}
                      problems={problems.at(at('creditCost'))}
                      control={control}
                      name={`features.${i}.creditCost`}
                    />
                    <Problems path={at('creditCost')} problems={problems.at(at('creditCost'))} />
                  </TableCell>
                  <TableCell className="align-top text-right">
                    <Button variant="ghost" size="icon" aria-label={`Remove ${label}`} onClick={() => remove(i)}>
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
        <Button variant="outline" size="sm" onClick={() => features.append(emptyFeature(getValues()))}>
          <PlusIcon aria-hidden /> Add feature
        </Button>
      </div>
    </div>
  );
}
