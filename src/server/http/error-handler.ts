import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

interface ValidationIssue {
  instancePath?: string;
  keyword?: string;
  params?: Record<string, unknown>;
  message?: string;
}

/** Names the input field a schema error is about: `/email` → `email`, missing → its name. */
function fieldOf(issue: ValidationIssue | undefined): string | undefined {
  if (!issue) return undefined;
  const params = issue.params ?? {};
  if (typeof params.missingProperty === 'string') return params.missingProperty;
  if (typeof params.additionalProperty === 'string') return params.additionalProperty;
  const path = (issue.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  return path || undefined;
}

function validationMessage(issue: ValidationIssue | undefined, context: string | undefined): string {
  if (!issue) return 'The request is not valid.';
  if (issue.keyword === 'additionalProperties') return `Unknown field "${String(issue.params?.additionalProperty)}".`;
  return `${context ?? 'body'} ${issue.instancePath || ''} ${issue.message ?? 'is not valid'}`.replace(/\s+/g, ' ').trim() + '.';
}

/** One error shape for every failure; never a stack trace, SQL or driver message. */
export function installErrorHandler(
  app: FastifyInstance,
  hooks: { onDenied?: (request: FastifyRequest, code: string) => Promise<void> | undefined } = {},
): void {
  app.setErrorHandler(async (error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      // Denials leave a trace, so repeated probing shows up in the audit trail.
      if (error.status === 403 && hooks.onDenied) await hooks.onDenied(request, error.code);
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      const body: { code: string; message: string; field?: string } = { code: error.code, message: error.message };
      if (error.field) body.field = error.field;
      return reply.status(error.status).send({ error: body });
    }
    const fastifyError = error as FastifyError & { validation?: ValidationIssue[]; validationContext?: string };
    if (fastifyError.validation) {
      const issue = fastifyError.validation[0];
      const field = fieldOf(issue);
      return reply.status(400).send({
        error: { code: 'invalid_input', message: validationMessage(issue, fastifyError.validationContext), ...(field ? { field } : {}) },
      });
    }
    const status = fastifyError.statusCode ?? 500;
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'rate_limited', message: 'Too many requests. Slow down and try again.' } });
    }
    if (status >= 400 && status < 500) {
      const code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
      return reply.status(status).send({ error: { code, message: 'The request could not be read.' } });
    }
    // The message of a driver error can quote the values it choked on: log only where it failed.
    const frames = (fastifyError.stack ?? '').split('\n').slice(1, 8).join('\n');
    request.log.error({ errType: fastifyError.name, errCode: fastifyError.code, frames }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal_error', message: 'Something went wrong on our side.' } });
  });
}
