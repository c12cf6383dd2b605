import { AppDefinition } from '@vidivo/platform';
import { CallsModule } from './calls.module';
import { CALLS_SCHEMA } from './calls.schema';
import { callsSettings } from './calls.settings';

export const callsApp: AppDefinition = {
  name: 'calls',
  imports: [CallsModule],
  databases: [CALLS_SCHEMA],
  settings: [callsSettings],
  answersMessages: true,
};
