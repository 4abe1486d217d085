import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { useStaff } from '@/app/session';
import { ReasonDialog } from '@/components/reason-dialog';
import { ErrorState, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { NativeSelect } from '@/components/ui/native-select';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { toastError } from '@/lib/errors';
import { useTRPC, type RouterOutputs } from '@/lib/trpc';
import { CreateStaffDialog } from './create-staff-dialog';
import { setStaffDisabledInput } from '../../../server/contracts/staff.ts';

type StaffRow = RouterOutputs['staff']['list'][number];
type Role = 'support' | 'finance' | 'admin';

export function StaffCard() {
  const trpc = useTRPC();
  const me = useStaff();
  const queryClient = useQueryClient();
  const staff = useQuery(trpc.staff.list.queryOptions());
  const [toggling, setToggling] = useState<StaffRow | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.staff.list.pathFilter());

  const setRole = useMutation(
    trpc.staff.setRole.mutationOptions({
      onSuccess: (r) => {
        if (r.changed) toast.success(`Role changed to ${r.role}; their sessions were ended`);
        return refresh();
      },
      onError: (err) => {
        toastError(err);
        return refresh();
      },
    }),
  );
  const setDisabled = useMutation(
    trpc.staff.setDisabled.mutationOptions({
      onSuccess: (r) => {
        toast.success(r.disabled ? 'Account disabled and signed out' : 'Account enabled');
        setToggling(null);
        return refresh();
      },
      onError: (err) => toastError(err),
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between">
        <div className="flex flex-col gap-1.5">
          <CardTitle>Staff</CardTitle>
          <CardDescription>
            Roles: support answers tickets, finance refunds and reports, admin does everything.
          </CardDescription>
        </div>
        <CreateStaffDialog />
      </CardHeader>
      <CardContent>
        {staff.isPending && <SkeletonRows rows={3} />}
        {staff.isError && <ErrorState error={staff.error} onRetry={() => void staff.refetch()} />}
        {staff.data && (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Created</TableHead>
                <TableHead className="text-right">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {staff.data.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{s.name}</TableCell>
                  <TableCell className="text-muted-foreground">{s.email}</TableCell>
                  <TableCell>
                    <NativeSelect
                      aria-label={`Role of ${s.name}`}
                      value={s.role ?? 'support'}
                      disabled={setRole.isPending}
                      onChange={(e) => setRole.mutate({ userId: s.id, role: e.target.value as Role })}
                    >
                      <option value="support">support</option>
                      <option value="finance">finance</option>
                      <option value="admin">admin</option>
                    </NativeSelect>
                  </TableCell>
                  <TableCell>
                    {s.banned ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}
                  </TableCell>
                  <TableCell>
                    <TimeAgo date={s.createdAt} />
                  </TableCell>
                  <TableCell className="text-right">
                    {s.id !== me.id && (
                      <Button variant="outline" size="sm" onClick={() => setToggling(s)}>
                        {s.banned ? 'Enable' : 'Disable'}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <ReasonDialog
        open={!!toggling}
        onOpenChange={(o) => !o && setToggling(null)}
        title={toggling?.banned ? `Enable ${toggling?.name}` : `Disable ${toggling?.name}`}
        effect={
          toggling?.banned
            ? `${toggling?.email} will be able to sign in again with their ${toggling?.role} role.`
            : `${toggling?.email} is signed out everywhere at once and cannot sign in until enabled again.`
        }
        confirmLabel={toggling?.banned ? 'Enable account' : 'Disable account'}
        destructive={!toggling?.banned}
        pending={setDisabled.isPending}
        schema={setStaffDisabledInput.shape.reason}
        onConfirm={(reason) =>
          toggling && setDisabled.mutate({ userId: toggling.id, disabled: !toggling.banned, reason })
        }
      />
    </Card>
  );
}
