import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { Actor } from '../actor';
import { ActorMessage } from '../message-fields';
import { EndCallRequest, HistoryQuery, JoinBookedCallRequest, JoinCallRequest } from './calls.dto';

export class JoinCallMessage {
  /** Absent for an anonymous caller: calls then creates a guest (decision 8). */
  @IsOptional()
  @ValidateNested()
  @Type(() => Actor)
  actor?: Actor;

  @IsString()
  short_code!: string;

  @ValidateNested()
  @Type(() => JoinCallRequest)
  request!: JoinCallRequest;

  /**
   * The caller's idempotency key, as a SHA-256 of its scope and the key (decision 32): a retry
   * whose first answer was lost gets that answer, not a second call.
   */
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/)
  join_key?: string;
}

export class CallIdMessage extends ActorMessage {
  @IsString()
  call_id!: string;
}

export class EndCallMessage extends CallIdMessage {
  @ValidateNested()
  @Type(() => EndCallRequest)
  request!: EndCallRequest;
}

export class HistoryMessage extends ActorMessage {
  @ValidateNested()
  @Type(() => HistoryQuery)
  query!: HistoryQuery;
}

/** Internal: signaling asks about a call it has a token for, or tells calls the host was notified. */
export class SystemCallMessage {
  @IsString()
  @Length(26, 26)
  call_id!: string;
}

/** Internal: the calls still waiting for a host who just opened the notification channel. */
export class HostIdMessage {
  @IsString()
  @Length(26, 26)
  host_id!: string;
}

export class JoinBookedCallMessage extends CallIdMessage {
  @ValidateNested()
  @Type(() => JoinBookedCallRequest)
  request!: JoinBookedCallRequest;
}
