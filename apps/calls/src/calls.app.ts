import { AppDefinition } from '@vidivo/platform';
import { CallsModule } from './calls.module';
import { CALLS_SCHEMA } from './calls.schema';

export const callsApp: AppDefinition = {
  name: 'calls',
  imports: [CallsModule],
  databases: [CALLS_SCHEMA],
  answersMessages: true,
};
