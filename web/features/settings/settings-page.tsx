import { useQuery } from '@tanstack/react-query';
import { ErrorState, PageHeader, SkeletonRows } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { Badge } from '@/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useTRPC } from '@/lib/trpc';

function StaffCard() {
  const trpc = useTRPC();
  const staff = useQuery(trpc.staff.list.queryOptions());
  return (
    <Card>
      <CardHeader>
        <CardTitle>Staff</CardTitle>
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
              </TableRow>
            </TableHeader>
            <TableBody>
              {staff.data.map((s) => (
                <TableRow key={s.id}>
                  <TableCell>{s.name}</TableCell>
                  <TableCell className="text-muted-foreground">{s.email}</TableCell>
                  <TableCell>
                    <Badge tone="outline">{s.role ?? 'none'}</Badge>
                  </TableCell>
                  <TableCell>
                    {s.banned ? <Badge tone="danger">disabled</Badge> : <Badge tone="success">active</Badge>}
                  </TableCell>
                  <TableCell>
                    <TimeAgo date={s.createdAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

export function SettingsPage() {
  return (
    <div className="flex flex-col gap-6">
      <PageHeader title="Settings" description="Staff, API keys, policies and the Stripe connection." />
      <StaffCard />
    </div>
  );
}
