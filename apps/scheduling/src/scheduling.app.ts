import { AppDefinition } from '@vidivo/platform';
import { SchedulingModule } from './scheduling.module';
import { SCHEDULING_SCHEMA } from './scheduling.schema';

export const schedulingApp: AppDefinition = {
  name: 'scheduling',
  imports: [SchedulingModule],
  databases: [SCHEDULING_SCHEMA],
  answersMessages: true,
};
