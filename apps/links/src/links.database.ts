import { DomainDatabase } from '@vidivo/platform';
import { LinkEntity } from './links/link.entity';
import { LINKS_SCHEMA } from './links.schema';
import { CreateCallLinks1764043300000 } from './migrations/1764043300000-create-call-links';

export const linksDatabase: DomainDatabase = {
  schema: LINKS_SCHEMA,
  entities: [LinkEntity],
  migrations: [CreateCallLinks1764043300000],
};
