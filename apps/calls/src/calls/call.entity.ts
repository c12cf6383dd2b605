import { CallStatus, EndReason } from '@vidivo/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'calls' })
export class CallEntity {
  @PrimaryColumn({ type: 'char', length: 26 })
  id!: string;

  @Column({ type: 'text' })
  status!: CallStatus;

  @Column({ name: 'link_id', type: 'char', length: 26, nullable: true })
  linkId!: string | null;

  @Column({ name: 'short_code', type: 'char', length: 6, nullable: true })
  shortCode!: string | null;

  @Column({ name: 'booking_id', type: 'char', length: 26, nullable: true })
  bookingId!: string | null;

  @Column({ name: 'host_id', type: 'char', length: 26 })
  hostId!: string;

  @Column({ name: 'host_name', type: 'varchar', length: 100 })
  hostName!: string;

  @Column({ name: 'guest_id', type: 'char', length: 26 })
  guestId!: string;

  @Column({ name: 'guest_name', type: 'varchar', length: 100 })
  guestName!: string;

  @Column({ name: 'rate_cents', type: 'integer' })
  rateCents!: number;

  @Column({ name: 'window_size_minutes', type: 'integer' })
  windowSizeMinutes!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** When the host is expected: the guest's join for a link call, the booked start for a booked call. */
  @Column({ name: 'expected_at', type: 'timestamptz' })
  expectedAt!: Date;

  @Column({ name: 'host_joined_at', type: 'timestamptz', nullable: true })
  hostJoinedAt!: Date | null;

  @Column({ name: 'guest_joined_at', type: 'timestamptz', nullable: true })
  guestJoinedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'end_reason', type: 'text', nullable: true })
  endReason!: EndReason | null;

  @Column({ name: 'duration_seconds', type: 'integer' })
  durationSeconds!: number;

  @Column({ name: 'billed_minutes', type: 'integer' })
  billedMinutes!: number;

  @Column({ name: 'total_charged_cents', type: 'integer' })
  totalChargedCents!: number;
}
