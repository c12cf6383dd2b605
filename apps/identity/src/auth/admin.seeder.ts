import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AppConfig } from '@vidivo/platform';
import { Repository } from 'typeorm';
import { ulid } from 'ulid';
import { IDENTITY_SCHEMA } from '../identity.schema';
import { UserEntity } from '../users/user.entity';
import { PasswordHasher } from './password.hasher';

/**
 * Admins cannot register: the one named by ADMIN_EMAIL/ADMIN_PASSWORD is created (or its password
 * and role restored) at start-up. One statement, so replicas starting together agree.
 */
@Injectable()
export class AdminSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminSeeder.name);

  constructor(
    @InjectRepository(UserEntity, IDENTITY_SCHEMA) private readonly users: Repository<UserEntity>,
    private readonly passwords: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config.env;
    if (!email || !password) return;
    await this.users.query(
      `INSERT INTO identity.users (id, email, password_hash, display_name, role)
       VALUES ($1, $2, $3, 'Administrator', 'admin')
       ON CONFLICT (lower(email)) WHERE role <> 'guest'
       DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', updated_at = now()`,
      [ulid(), email.toLowerCase(), await this.passwords.hash(password)],
    );
    this.logger.log(`admin account ${email} is ready`);
  }
}
