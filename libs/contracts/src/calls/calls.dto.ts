import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { IsAbsentWith } from '../validators';
import { PageQuery } from '../paging';

export const CALL_STATUSES = ['waiting', 'ringing', 'active', 'completed', 'missed', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** The reasons a participant may give when ending a call; `host_declined` is the host turning down a call that is still ringing (decision 30). */
export const END_REASONS = ['user_ended', 'host_ended', 'timeout', 'billing_error', 'host_declined'] as const;
export type RequestedEndReason = (typeof END_REASONS)[number];

/** Every reason a call can end with: what participants give, and what the platform decides (length cap, a participant gone). */
export const CALL_END_REASONS = [...END_REASONS, 'max_duration', 'abandoned'] as const;
export type EndReason = (typeof CALL_END_REASONS)[number];

/** A Stripe PaymentMethod id as Stripe Elements hands it out (`pm_…`). */
export const PAYMENT_METHOD_PATTERN = /^pm_[A-Za-z0-9_]{1,200}$/;

/** A Stripe PaymentIntent id (`pi_…`): the first hold, brought back after card authentication. */
export const PAYMENT_INTENT_PATTERN = /^pi_[A-Za-z0-9_]{1,200}$/;

const trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * The card for the first hold: a PaymentMethod, or, after the card's authentication, the
 * PaymentIntent the `payment_action_required` answer named. Exactly one of the two.
 */
export class PaymentForHold {
  @ApiPropertyOptional({
    pattern: PAYMENT_METHOD_PATTERN.source,
    example: 'pm_card_visa',
    description: 'Stripe PaymentMethod id from Stripe Elements; required unless payment_intent_id is sent',
  })
  @ValidateIf((request: PaymentForHold) => request.payment_intent_id === undefined || request.payment_method_id !== undefined)
  @IsAbsentWith('payment_intent_id')
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a Stripe PaymentMethod id (pm_…)' })
  payment_method_id?: string;

  @ApiPropertyOptional({
    pattern: PAYMENT_INTENT_PATTERN.source,
    example: 'pi_3Qx7example',
    description: 'the PaymentIntent of a `payment_action_required` answer, once the guest has authenticated the card',
  })
  @IsOptional()
  @IsString()
  @Matches(PAYMENT_INTENT_PATTERN, { message: 'payment_intent_id must be a Stripe PaymentIntent id (pi_…)' })
  payment_intent_id?: string;
}

export class JoinCallRequest extends PaymentForHold {
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
  @ApiPropertyOptional({
    pattern: PAYMENT_METHOD_PATTERN.source,
    example: 'pm_card_visa',
    description: 'the guest sends it or payment_intent_id (the hold is placed then); the host sends nothing',
  })
  @IsOptional()
  @IsAbsentWith('payment_intent_id')
  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN, { message: 'payment_method_id must be a Stripe PaymentMethod id (pm_…)' })
  payment_method_id?: string;

  @ApiPropertyOptional({ pattern: PAYMENT_INTENT_PATTERN.source, description: 'the PaymentIntent of a `payment_action_required` answer, once authenticated' })
  @IsOptional()
  @IsString()
  @Matches(PAYMENT_INTENT_PATTERN, { message: 'payment_intent_id must be a Stripe PaymentIntent id (pi_…)' })
  payment_intent_id?: string;
}

export class EndCallRequest {
  @ApiPropertyOptional({ enum: END_REASONS, enumName: 'RequestedEndReason' })
  @IsOptional()
  @IsIn(END_REASONS, { message: `reason must be one of ${END_REASONS.join(', ')}` })
  reason?: RequestedEndReason;
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
