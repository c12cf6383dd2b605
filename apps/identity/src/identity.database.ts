import { DomainDatabase } from '@vidivo/platform';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { IDENTITY_SCHEMA } from './identity.schema';
import { CreateUsers1764043200000 } from './migrations/1764043200000-create-users';
import { UserEntity } from './users/user.entity';

export const identityDatabase: DomainDatabase = {
  schema: IDENTITY_SCHEMA,
  entities: [UserEntity, RefreshTokenEntity],
  migrations: [CreateUsers1764043200000],
};
