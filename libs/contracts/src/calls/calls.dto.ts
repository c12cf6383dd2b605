import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../paging';

export const CALL_STATUSES = ['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

export const END_REASONS = ['user_ended', 'host_ended', 'timeout', 'billing_error'] as const;
export type EndReason = (typeof END_REASONS)[number];

/** A Stripe PaymentMethod id as Stripe Elements hands it out (`pm_…`). */
export const PAYMENT_METHOD_PATTERN = /^pm_[A-Za-z0-9_]{1,200}$/;

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

export class JoinCallRequest {
  @ApiProperty({ pattern: PAYMENT_METHOD_PATTERN.source, example: 'pm_card_visa', description: 'Stripe PaymentMethod id from Stripe Elements' })
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a Stripe PaymentMethod id (pm_…)' })
  payment_method_id!: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 100, example: 'Alex' })
  @IsOptional()
  @trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  guest_name?: string;

  @ApiPropertyOptional({ format: 'email', maxLength: 254, description: 'for the receipt' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  guest_email?: string;
}

/** Joining a booked call (decision 18): the guest brings a card for the hold; the host sends nothing. */
export class JoinBookedCallRequest {
  @ApiPropertyOptional({ pattern: PAYMENT_METHOD_PATTERN.source, example: 'pm_card_visa', description: 'the guest must send it (the hold is placed then); the host sends nothing' })
  @IsOptional()
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a Stripe PaymentMethod id (pm_…)' })
  payment_method_id?: string;
}

export class EndCallRequest {
  @ApiPropertyOptional({ enum: END_REASONS, enumName: 'EndReason' })
  @IsOptional()
  @IsIn(END_REASONS, { message: `reason must be one of ${END_REASONS.join(', ')}` })
  reason?: EndReason;
}

export class HistoryQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CALL_STATUSES, enumName: 'CallStatus' })
  @IsOptional()
  @IsIn(CALL_STATUSES, { message: `status must be one of ${CALL_STATUSES.join(', ')}` })
  status?: CallStatus;
}

export interface Participant {
  id: string;
  display_name: string;
}

/** The call object of decision 14. */
export interface CallDto {
  id: string;
  status: CallStatus;
  short_code: string | null;
  booking_id: string | null;
  host: Participant;
  guest: Participant;
  rate_per_minute: string;
  window_size_minutes: number;
  currency: 'usd';
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  end_reason: EndReason | null;
  duration_seconds: number;
  billed_minutes: number;
  total_charged: string;
}

export interface TurnCredentials {
  urls: string[];
  username: string;
  credential: string;
}

export interface SignalingAccess {
  signaling_token: string;
  signaling_url: string;
  turn_credentials: TurnCredentials;
}

export interface JoinCallResponse extends SignalingAccess {
  call: CallDto;
  /** Only for a caller who came without a token (decision 8). */
  guest_token?: string;
}

export interface HostJoinResponse extends SignalingAccess {
  call: CallDto;
}

export interface EndCallResponse {
  call: CallDto;
}


