import { Type } from 'class-transformer';
import { IsOptional, IsString, Length, ValidateNested } from 'class-validator';
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
