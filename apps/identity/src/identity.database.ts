import { DomainDatabase } from '@vidivo/platform';
import { RefreshTokenFamilyEntity } from './auth/refresh-token-family.entity';
import { RefreshTokenEntity } from './auth/refresh-token.entity';
import { IDENTITY_SCHEMA } from './identity.schema';
import { CreateUsers1764043200000 } from './migrations/1764043200000-create-users';
import { RefreshTokenFamilies1766000000000 } from './migrations/1766000000000-refresh-token-families';
import { UserEntity } from './users/user.entity';

export const identityDatabase: DomainDatabase = {
  schema: IDENTITY_SCHEMA,
  entities: [UserEntity, RefreshTokenEntity, RefreshTokenFamilyEntity],
  migrations: [CreateUsers1764043200000, RefreshTokenFamilies1766000000000],
};
