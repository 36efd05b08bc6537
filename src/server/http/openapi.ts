import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/** OpenAPI 3.1 generated from the route schemas, at /api/openapi.json and browsable at /api/docs. */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Custos API', version: '0.1.0', description: 'Customer information management, security first.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (cst_…).' },
          session: { type: 'apiKey', in: 'cookie', name: 'custos_session', description: 'Browser session; state-changing requests also send x-csrf-token.' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });

  await app.register(async (docs) => {
    // The documentation is public; everything else under /api stays closed by default.
    docs.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), auth: 'public' };
    });
    // The docs page lives under the same strict policy as the app (no inline script, no third-party origin).
    await docs.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: false, uiConfig: { validatorUrl: null } });
    docs.get('/api/openapi.json', { schema: { hide: true } as object }, async () => app.swagger());
  });
}
