import { AppDefinition } from '@vidivo/platform';
import { GatewayModule } from './gateway.module';
import { GATEWAY_SCHEMA } from './gateway.schema';
import { mountOpenApi } from './openapi/openapi.document';

export const gatewayApp: AppDefinition = {
  name: 'gateway',
  imports: [GatewayModule],
  databases: [GATEWAY_SCHEMA],
  answersMessages: false,
  configure: mountOpenApi,
};
