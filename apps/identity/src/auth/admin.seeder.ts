import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@vidivo/platform';
import { UsersRepository } from '../users/users.repository';
import { PasswordHasher } from './password.hasher';

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
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config.env;
    if (!email || !password) return;
    await this.users.upsertAdmin(email.toLowerCase(), await this.passwords.hash(password));
    this.logger.log(`admin account ${email} is ready`);
  }
}
