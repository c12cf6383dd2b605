import { AppDefinition } from '@vidivo/platform';
import { GatewayModule } from './gateway.module';
import { GATEWAY_SCHEMA } from './gateway.schema';
import { mountOpenApi } from './openapi/openapi.document';
import { gatewaySettings } from './gateway.settings';

export const gatewayApp: AppDefinition = {
  name: 'gateway',
  imports: [GatewayModule],
  databases: [GATEWAY_SCHEMA],
  settings: [gatewaySettings],
  answersMessages: false,
  configure: mountOpenApi,
};
