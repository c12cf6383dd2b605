import { AppDefinition } from '@vidivo/platform';
import { IdentityModule } from './identity.module';
import { IDENTITY_SCHEMA } from './identity.schema';

export const identityApp: AppDefinition = {
  name: 'identity',
  imports: [IdentityModule],
  databases: [IDENTITY_SCHEMA],
  answersMessages: true,
};
