import { runApp } from '@vidivo/platform';
import { schedulingApp } from './scheduling.app';

void runApp(schedulingApp);
