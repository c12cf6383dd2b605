import { DomainDatabase } from '@vidivo/platform';
import { CreateScheduling1764100300000 } from './migrations/1764100300000-create-scheduling';
import { SCHEDULING_SCHEMA } from './scheduling.schema';

export const schedulingDatabase: DomainDatabase = {
  schema: SCHEDULING_SCHEMA,
  entities: [],
  migrations: [CreateScheduling1764100300000],
};
