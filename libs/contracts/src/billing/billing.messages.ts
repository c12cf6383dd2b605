import { Type } from 'class-transformer';
import { IsDefined, IsEmail, IsInt, IsOptional, IsString, IsUrl, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsRatePerMinute } from '../validators';
import { PAYMENT_INTENT_PATTERN, PaymentForHold } from '../calls';

/** Who pays: the guest's account, which billing keeps a Stripe Customer for (decision 24). */
export class PayingGuest {
  @IsString()
  @Length(26, 26)
  id!: string;

  @IsString()
  @MaxLength(200)
  display_name!: string;

  /** Where Stripe sends the receipt at capture; absent when the guest gave none. */
  @IsOptional()
  @IsEmail()
  email?: string;
}

/**
 * Calls asks billing for the first hold of a call before it answers the guest (decisions 11, 24,
 * 25): with a card (`payment_method_id`), or with the PaymentIntent the guest has just authenticated.
 */
export class PlaceFirstHoldMessage extends PaymentForHold {
  @IsString()
  @Length(26, 26)
  call_id!: string;

  @IsRatePerMinute()
  rate_per_minute!: string;

  @IsInt()
  @Min(1)
  @Max(60)
  window_size_minutes!: number;

  @IsDefined()
  @ValidateNested()
  @Type(() => PayingGuest)
  guest!: PayingGuest;

  /** Names the host in the hold's description, as the guest's statement and receipt show it. */
  @IsString()
  @MaxLength(200)
  host_name!: string;

  /**
   * What the hold pays for, `link:<id>` or `booking:<id>`: an authenticated PaymentIntent is only
   * good for the link or booking it was made for.
   */
  @IsString()
  @Matches(/^(link|booking):[0-9A-HJKMNP-TV-Z]{26}$/)
  purpose!: string;

  /** Where the card's authentication page sends the guest back to. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  return_url!: string;
}

export interface HoldDto {
  hold_id: string;
  call_id: string;
  window: number;
  amount: string;
  status: 'authorized';
}

/** Which call an authenticated first hold was made for (decision 25): its id is reused for the call. */
export class HoldOwnerMessage {
  @IsString()
  @Matches(PAYMENT_INTENT_PATTERN)
  payment_intent_id!: string;
}

export interface HoldOwnerDto {
  call_id: string;
  purpose: string;
}

/** A Stripe webhook as it arrived: the raw body and its signature header, checked by billing (decision 26). */
export class StripeWebhookMessage {
  @IsString()
  @MaxLength(1_000_000)
  payload!: string;

  @IsString()
  @MaxLength(2_000)
  signature!: string;
}

export interface StripeWebhookReceipt {
  received: true;
}
