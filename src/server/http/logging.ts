import type { FastifyServerOptions } from 'fastify';

/** Path segments that are secrets themselves (invitation links) never reach the log. */
export function redactUrl(url: string): string {
  return url.replace(/^(\/api\/invitations\/)(?!accept\b)[^/?#]+/, '$1[redacted]').replace(/\?.*$/, (query) => (query.length > 1 ? '?[query]' : ''));
}

/**
 * Pino with redaction: credentials, cookies and anything that may hold personal data are
 * replaced before a line is written. Request bodies are never logged.
 */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'res.headers["set-cookie"]',
        '*.password',
        '*.currentPassword',
        '*.newPassword',
        '*.email',
        '*.code',
        '*.token',
        '*.setupToken',
        '*.secret',
      ],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: { method: string; url: string; id: string; ip?: string }) => ({ id: request.id, method: request.method, url: redactUrl(request.url) }),
    },
  };
}
