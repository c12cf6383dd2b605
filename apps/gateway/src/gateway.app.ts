import { AppDefinition } from '@vidivo/platform';
import { GatewayModule } from './gateway.module';

export const gatewayApp: AppDefinition = {
  name: 'gateway',
  imports: [GatewayModule],
  databases: [],
  answersMessages: false,
};
