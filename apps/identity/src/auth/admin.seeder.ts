import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password.hasher';
import { IdentitySettings, identitySettings } from '../identity.settings';

/**
 * Admins cannot register: the one named by ADMIN_EMAIL/ADMIN_PASSWORD is created (or its password
 * and role restored) at start-up. One statement, so replicas starting together agree.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    @Inject(identitySettings.token) private readonly settings: IdentitySettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.settings;
    if (!email || !password) return;
    await this.users.upsertAdmin(email.toLowerCase(), await this.passwords.hash(password));
    this.logger.log(`admin account ${email} is ready`);
  }
}
