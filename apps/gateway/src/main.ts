import { runApp } from '@vidivo/platform';
import { gatewayApp } from './gateway.app';

void runApp(gatewayApp);
