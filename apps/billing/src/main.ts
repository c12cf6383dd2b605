import { runApp } from '@vidivo/platform';
import { billingApp } from './billing.app';

void runApp(billingApp);
