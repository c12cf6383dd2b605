import { runApp } from '@vidivo/platform';
import { signalingApp } from './signaling.app';

void runApp(signalingApp);
