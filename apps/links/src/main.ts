import { runApp } from '@vidivo/platform';
import { linksApp } from './links.app';

void runApp(linksApp);
