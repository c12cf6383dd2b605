import { AppDefinition } from '@vidivo/platform';
import { LinksModule } from './links.module';
import { LINKS_SCHEMA } from './links.schema';

export const linksApp: AppDefinition = {
  name: 'links',
  imports: [LinksModule],
  databases: [LINKS_SCHEMA],
  answersMessages: true,
};
