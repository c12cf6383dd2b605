import { IsString, Length } from 'class-validator';

/** Calls asks links for one use of a link for a new call (decision 9). */
export class ClaimLinkMessage {
  @IsString()
  short_code!: string;

  @IsString()
  @Length(26, 26)
  call_id!: string;
}

/** Gives back the use a call claimed, when its hold could not be placed. */
export class ReleaseLinkMessage {
  @IsString()
  @Length(26, 26)
  call_id!: string;
}

export interface LinkClaimDto {
  link_id: string;
  short_code: string;
  host_id: string;
  rate_per_minute: string;
  window_size_minutes: number;
}
