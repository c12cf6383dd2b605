import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** The tokens of one sign-in, rotated one into the next; revoked as a whole when a used one comes back (it leaked). */
@Entity({ name: 'refresh_token_families' })
export class RefreshTokenFamilyEntity {
  @PrimaryColumn({ type: 'char', length: 26 })
  id!: string;

  @Column({ name: 'user_id', type: 'char', length: 26 })
  userId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
