import { AppDefinition } from '@vidivo/platform';
import { IdentityModule } from './identity.module';
import { IDENTITY_SCHEMA } from './identity.schema';
import { identitySettings } from './identity.settings';

export const identityApp: AppDefinition = {
  name: 'identity',
  imports: [IdentityModule],
  databases: [IDENTITY_SCHEMA],
  settings: [identitySettings],
  answersMessages: true,
};
