import { Injectable } from '@nestjs/common';
import { AuthResponse, GuestAuthResponse, GuestRequest, LoginRequest, RegisterRequest } from '@vidivo/contracts';
import { AppError, isUniqueViolation } from '@vidivo/platform';
import { UserEntity } from '../users/user.entity';
import { toUserDto } from '../users/user.mapper';
import { UsersRepository } from '../users/users.repository';
import { AccessTokenIssuer } from './access-token.issuer';
import { PasswordHasher } from './password.hasher';
import { RefreshTokensRepository } from './refresh-tokens.repository';

const INVALID_LOGIN = 'The email or password is wrong';
const INVALID_REFRESH = 'The refresh token is invalid, expired or already used';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokenIssuer,
    private readonly refreshTokens: RefreshTokensRepository,
  ) {}

  /** The unique indexes decide races: of two registrations for one username, one gets 409. */
  async register(request: RegisterRequest): Promise<AuthResponse> {
    const passwordHash = await this.passwords.hash(request.password);
    let user: UserEntity;
    try {
      user = await this.users.insert({
        email: request.email,
        username: request.username,
        passwordHash,
        displayName: request.display_name,
        avatarUrl: null,
        timezone: null,
        role: request.role ?? 'user',
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw AppError.conflict('This email is already registered');
      if (isUniqueViolation(error, 'users_username_key')) throw AppError.conflict('This username is taken');
      throw error;
    }
    return this.session(user);
  }

  async login(request: LoginRequest): Promise<AuthResponse> {
    const user = await this.users.findAccountByEmail(request.email);
    const matches = await this.passwords.verify(user?.passwordHash ?? null, request.password);
    if (!user || !matches) throw AppError.unauthorized(INVALID_LOGIN);
    return this.session(user);
  }

  async refresh(refreshToken: string): Promise<AuthResponse> {
    const outcome = await this.refreshTokens.consume(refreshToken);
    if (outcome.kind !== 'rotated') throw AppError.unauthorized(INVALID_REFRESH);
    const user = await this.users.findById(outcome.userId);
    if (!user) throw AppError.unauthorized(INVALID_REFRESH);
    return this.session(user, outcome.familyId);
  }

  /** A guest is a user without credentials: it lives as long as its access token. */
  async guest(request: GuestRequest): Promise<GuestAuthResponse> {
    const user = await this.users.insert({
      email: request.email ?? null,
      username: null,
      passwordHash: null,
      displayName: request.display_name ?? 'Guest',
      avatarUrl: null,
      timezone: null,
      role: 'guest',
    });
    return { user: toUserDto(user), access_token: this.accessTokens.issue(user), expires_in: this.accessTokens.ttlSeconds };
  }

  /** A sign-in starts a family of refresh tokens; a refresh continues its own. */
  private async session(user: UserEntity, familyId?: string): Promise<AuthResponse> {
    return {
      user: toUserDto(user),
      access_token: this.accessTokens.issue(user),
      refresh_token: familyId ? await this.refreshTokens.continueFamily(user.id, familyId) : await this.refreshTokens.startFamily(user.id),
      expires_in: this.accessTokens.ttlSeconds,
    };
  }
}
