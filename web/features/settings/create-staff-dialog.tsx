import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { createStaffInput } from '../../../server/contracts/staff.ts';
import { controlProps, Field } from '@/components/field';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { NativeSelect } from '@/components/ui/native-select';
import { toastError } from '@/lib/errors';
import { useTRPC } from '@/lib/trpc';

type FormValues = z.input<typeof createStaffInput>;

export function CreateStaffDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const form = useForm<FormValues>({
    resolver: zodResolver(createStaffInput),
    defaultValues: { name: '', email: '', role: 'support', password: '' },
  });
  const create = useMutation(
    trpc.staff.create.mutationOptions({
      onSuccess: async (user) => {
        toast.success(`${user.name} can now sign in as ${user.role}`);
        await queryClient.invalidateQueries(trpc.staff.list.pathFilter());
        form.reset();
        setOpen(false);
      },
      onError: (err) => toastError(err),
    }),
  );
  const { errors } = form.formState;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm">Add staff member</Button>
      </DialogTrigger>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Add a staff member</DialogTitle>
          <DialogDescription>
            They sign in with this email and password; share the password privately.
          </DialogDescription>
        </DialogHeader>
        <form
          className="flex flex-col gap-4"
          noValidate
          onSubmit={(e) => void form.handleSubmit((values) => create.mutate(createStaffInput.parse(values)))(e)}
        >
          <Field id="staff-name" label="Name" error={errors.name?.message}>
            <Input {...controlProps('staff-name', errors.name)} {...form.register('name')} />
          </Field>
          <Field id="staff-email" label="Email" error={errors.email?.message}>
            <Input type="email" {...controlProps('staff-email', errors.email)} {...form.register('email')} />
          </Field>
          <Field id="staff-role" label="Role" error={errors.role?.message}>
            <NativeSelect id="staff-role" {...form.register('role')}>
              <option value="support">support</option>
              <option value="finance">finance</option>
              <option value="admin">admin</option>
            </NativeSelect>
          </Field>
          <Field
            id="staff-password"
            label="Initial password"
            error={errors.password?.message}
            hint="At least 12 characters, not a common password."
          >
            <Input
              type="password"
              autoComplete="new-password"
              {...controlProps('staff-password', errors.password)}
              {...form.register('password')}
            />
          </Field>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={create.isPending}>
              {create.isPending ? 'Adding…' : 'Add staff member'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
