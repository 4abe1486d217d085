// Recognising database errors that callers turn into domain answers.
import { Prisma } from '../generated/prisma/client.ts';

/** A unique constraint refused the write (Prisma P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002';
}
