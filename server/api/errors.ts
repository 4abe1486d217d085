// One error shape for every service API answer: {"error":{"code","message","details"?}}.
// AppErrors keep their code and status; Fastify's own 4xx (bad JSON, wrong content type, body too
// large) are translated; anything else is a 500 whose details stay in the log.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { AppError, errorBody, isAppError } from '../lib/app-error.ts';
import { zodProblems } from '../contracts/zod-problems.ts';

const FASTIFY_CODES: Record<number, string> = {
  400: 'validation',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function registerErrorHandler(api: FastifyInstance): void {
  api.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (isAppError(error)) {
      if (error.httpStatus >= 500) request.log.error({ err: error }, 'service API error');
      return reply.code(error.httpStatus).send(errorBody(error));
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({
        error: { code: FASTIFY_CODES[status] ?? 'bad_request', message: error.message },
      });
    }
    request.log.error({ err: error }, 'service API request failed');
    return reply.code(500).send({ error: { code: 'internal', message: 'Internal error' } });
  });
}

/** Parses `value` with `schema`, or throws VALIDATION listing each field path and what is wrong. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what = 'request body'): z.output<S> {
  if (value === undefined || value === null) {
    throw new AppError('VALIDATION', `Send a JSON ${what}`, [{ path: '', message: 'is required' }]);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = zodProblems(result.error);
  const summary = problems
    .slice(0, 3)
    .map((p) => (p.path ? `${p.path} ${p.message}` : p.message))
    .join('; ');
  throw new AppError('VALIDATION', `Invalid ${what}: ${summary}`, problems);
}
