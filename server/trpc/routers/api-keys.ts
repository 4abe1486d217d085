// Admins manage the service API's keys. A created key is shown once (the response); only its hash
// is stored.
import { createApiKeyInput, revokeApiKeyInput } from '../../contracts/api-keys.ts';
import { createApiKey } from '../../modules/api-keys/create-api-key.ts';
import { listApiKeys } from '../../modules/api-keys/list-api-keys.ts';
import { revokeApiKey } from '../../modules/api-keys/revoke-api-key.ts';
import { adminProcedure, router } from '../init.ts';

export const apiKeysRouter = router({
  list: adminProcedure.query(({ ctx }) => listApiKeys(ctx.deps.prisma)),
  create: adminProcedure
    .input(createApiKeyInput)
    .mutation(({ ctx, input }) => createApiKey(ctx.deps.prisma, { name: input.name, actor: ctx.actor })),
  revoke: adminProcedure
    .input(revokeApiKeyInput)
    .mutation(({ ctx, input }) => revokeApiKey(ctx.deps.prisma, { ...input, actor: ctx.actor })),
});
