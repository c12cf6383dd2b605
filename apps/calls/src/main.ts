import { runApp } from '@vidivo/platform';
import { callsApp } from './calls.app';

void runApp(callsApp);
