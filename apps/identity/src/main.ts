import { runApp } from '@vidivo/platform';
import { identityApp } from './identity.app';

void runApp(identityApp);
