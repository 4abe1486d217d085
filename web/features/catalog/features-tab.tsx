// Features: what the product can do, on/off or with a limit, and what one use costs in credits.
// Renaming or removing a feature carries through to every plan's entitlements.
import { PlusIcon, Trash2Icon } from 'lucide-react';
import { EmptyState } from '@/components/states';
import { Button } from '@/components/ui/button';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { emptyFeature, fieldId } from './draft';
import { NumberInput, Problems, TextField } from './fields';
import type { CatalogEditor } from './use-catalog-editor';

export function FeaturesTab({ editor }: { editor: CatalogEditor }) {
  const { draft, problems, update } = editor;
  if (!draft) return null;
  const rename = (i: number, next: string) =>
    update((d) => {
      const feature = d.features[i]!;
      const old = feature.key;
      feature.key = next;
      // Carry the plans along, unless the new key is another feature's (then the server says so).
      if (old === next || d.features.some((f, j) => j !== i && (f.key === next || f.key === old))) return;
      for (const plan of d.plans) {
        if (old in plan.entitlements) {
          plan.entitlements[next] = plan.entitlements[old]!;
          delete plan.entitlements[old];
        }
      }
    });
  const remove = (i: number) =>
    update((d) => {
      const [gone] = d.features.splice(i, 1);
      if (gone && !d.features.some((f) => f.key === gone.key)) {
        for (const plan of d.plans) delete plan.entitlements[gone.key];
      }
    });

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
            {draft.features.map((f, i) => {
              const at = (field: string) => `features[${i}].${field}`;
              const label = f.name || f.key || `feature ${i + 1}`;
              return (
                <TableRow key={i} className="align-top">
                  <TableCell className="align-top">
                    <TextField
                      path={at('key')}
                      problems={problems.at(at('key'))}
                      aria-label={`Key of ${label}`}
                      className="h-8 w-48 font-mono text-xs"
                      spellCheck={false}
                      value={f.key}
                      onChange={(v) => rename(i, v)}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <TextField
                      path={at('name')}
                      problems={problems.at(at('name'))}
                      aria-label={`Name of ${label}`}
                      className="h-8 w-56"
                      value={f.name}
                      onChange={(v) => update((d) => void (d.features[i]!.name = v))}
                    />
                  </TableCell>
                  <TableCell className="align-top">
                    <NativeSelect
                      id={fieldId(at('type'))}
                      aria-label={`Type of ${label}`}
                      value={f.type}
                      onChange={(e) =>
                        update((d) => {
                          const type = e.target.value as 'boolean' | 'limit';
                          d.features[i]!.type = type;
                          // A limit becomes "on" when the feature turns on/off.
                          if (type === 'boolean') {
                            for (const plan of d.plans) if (f.key in plan.entitlements) plan.entitlements[f.key] = true;
                          }
                        })
                      }
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
                      value={f.creditCost}
                      onChange={(v) => update((d) => void (d.features[i]!.creditCost = v))}
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
        <Button variant="outline" size="sm" onClick={() => update((d) => void d.features.push(emptyFeature(d)))}>
          <PlusIcon aria-hidden /> Add feature
        </Button>
      </div>
    </div>
  );
}
