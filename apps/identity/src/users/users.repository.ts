import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ulid } from 'ulid';
import { IDENTITY_SCHEMA, IDENTITY_TABLES } from '../identity.schema';
import { UserEntity } from './user.entity';

/** A user to insert; its id is made here, its timestamps by the database. */
export type NewUser = Omit<UserEntity, 'id' | 'createdAt' | 'updatedAt'>;

/** Users, through their entity; the admin upsert alone is SQL (its ON CONFLICT names a partial index). */
@Injectable()
export class UsersRepository {
  constructor(@InjectRepository(UserEntity, IDENTITY_SCHEMA) private readonly users: Repository<UserEntity>) {}

  /** Inserts the user and reads it back with its timestamps. The unique indexes decide races: a taken email or username fails here. */
  async insert(user: NewUser): Promise<UserEntity> {
    const id = ulid();
    await this.users.insert(this.users.create({ ...user, id }));
    return this.users.findOneByOrFail({ id });
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByUsername(username: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ username });
  }

  findByIds(ids: string[]): Promise<UserEntity[]> {
    return this.users.findBy({ id: In(ids) });
  }

  /** The account with this (lower-case) email; guests, who may share an address, are never found. */
  findAccountByEmail(email: string): Promise<UserEntity | null> {
    return this.users.createQueryBuilder('user').where('lower(user.email) = :email AND user.role <> :guest', { email, guest: 'guest' }).getOne();
  }

  save(user: UserEntity): Promise<UserEntity> {
    return this.users.save(user);
  }

  /** Creates the admin, or restores its password and role, in one statement, so replicas starting together agree. */
  async upsertAdmin(email: string, passwordHash: string): Promise<void> {
    await this.users.query(
      `INSERT INTO ${IDENTITY_TABLES.users} (id, email, password_hash, display_name, role)
       VALUES ($1, $2, $3, 'Administrator', 'admin')
       ON CONFLICT (lower(email)) WHERE role <> 'guest'
       DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', updated_at = now()`,
      [ulid(), email, passwordHash],
    );
  }
}
