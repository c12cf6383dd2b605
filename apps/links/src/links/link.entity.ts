import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'call_links' })
export class LinkEntity {
  @PrimaryColumn({ type: 'char', length: 26 })
  id!: string;

  @Column({ name: 'short_code', type: 'char', length: 6 })
  shortCode!: string;

  @Column({ name: 'host_id', type: 'char', length: 26 })
  hostId!: string;

  @Column({ name: 'rate_cents', type: 'integer' })
  rateCents!: number;

  @Column({ name: 'window_size_minutes', type: 'integer' })
  windowSizeMinutes!: number;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ name: 'max_uses', type: 'integer', nullable: true })
  maxUses!: number | null;

  @Column({ name: 'use_count', type: 'integer' })
  useCount!: number;

  @Column({ type: 'varchar', nullable: true })
  label!: string | null;

  @Column({ name: 'is_active', type: 'boolean' })
  isActive!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;
}
