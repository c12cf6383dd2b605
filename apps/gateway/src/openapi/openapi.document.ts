import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorDetailSchema, ErrorEnvelopeSchema, PaymentActionDetailsSchema } from '@vidivo/contracts';
import { GatewayModule } from '../gateway.module';
import { addEdgeAnswers } from './edge-answers';

export const DOCS_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'openapi.json';

/**
 * Swagger UI at /docs and the document at /openapi.json, generated from the gateway's controllers
 * and the DTO classes of libs/contracts. Plain express routes, so the access token guard does not
 * see them: both are public. The document is built on its first request, not at every start.
 */
export function mountOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Vidivo API')
    .setDescription('Pay-per-minute video calls: accounts, call links, call sessions with Stripe holds, scheduling.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from /v1/auth (or a guest_token)' })
    .addGlobalResponse({ status: 500, description: '`internal_error`: an unexpected failure (never with details)', type: ErrorEnvelopeSchema })
    .addGlobalResponse({
      status: 503,
      description: '`service_unavailable`: a service this request needs is down for a moment (the message bus, a database connection); retry after `Retry-After` seconds',
      type: ErrorEnvelopeSchema,
    })
    .build();
  const document = () => addEdgeAnswers(SwaggerModule.createDocument(app, config, { include: [GatewayModule], extraModels: [ErrorDetailSchema, PaymentActionDetailsSchema] }));
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'Vidivo API',
  });
}
