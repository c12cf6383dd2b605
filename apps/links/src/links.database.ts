import { DomainDatabase } from '@vidivo/platform';
import { LinkEntity } from './links/link.entity';
import { LINKS_SCHEMA } from './links.schema';
import { CreateCallLinks1764043300000 } from './migrations/1764043300000-create-call-links';
import { CreateLinkClaims1764100100000 } from './migrations/1764100100000-create-link-claims';

export const linksDatabase: DomainDatabase = {
  schema: LINKS_SCHEMA,
  entities: [LinkEntity],
  migrations: [CreateCallLinks1764043300000, CreateLinkClaims1764100100000],
};
