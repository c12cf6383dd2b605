import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsRatePerMinute } from '../validators';
import { PAYMENT_METHOD_PATTERN } from '../calls';

/** Calls asks billing for the first hold of a call before it answers the guest (decision 11). */
export class PlaceFirstHoldMessage {
  @IsString()
  @Length(26, 26)
  call_id!: string;

  @IsString()
  @Matches(PAYMENT_METHOD_PATTERN)
  payment_method_id!: string;

  @IsRatePerMinute()
  rate_per_minute!: string;

  @IsInt()
  @Min(1)
  @Max(60)
  window_size_minutes!: number;
}

export interface HoldDto {
  hold_id: string;
  call_id: string;
  window: number;
  amount: string;
  status: 'authorized';
}
