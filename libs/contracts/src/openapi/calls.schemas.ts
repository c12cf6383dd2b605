import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CALL_STATUSES,
  CallDto,
  CallStatus,
  CALL_END_REASONS,
  EndCallResponse,
  EndReason,
  HostJoinResponse,
  JoinCallResponse,
  Participant,
  SignalingAccess,
  TurnCredentials,
} from '../calls';
import { Page } from '../paging';
import { ApiSchemaOf } from './api-schema-of.decorator';
import { PageSchema } from './paging.schemas';
import { INSTANT, MONEY, RATE_PER_MINUTE, ULID } from './wire-formats';

@ApiSchemaOf<Participant>('Participant')
export class ParticipantSchema implements Participant {
  @ApiProperty(ULID)
  id!: string;

  @ApiProperty({ example: 'Jane Smith' })
  display_name!: string;
}

@ApiSchemaOf<CallDto>('Call', 'The call object (decision 14)')
export class CallSchema implements CallDto {
  @ApiProperty(ULID)
  id!: string;

  @ApiProperty({ enum: CALL_STATUSES, enumName: 'CallStatus' })
  status!: CallStatus;

  @ApiProperty({ type: String, nullable: true, example: 'abc123', description: 'null for a scheduled call' })
  short_code!: string | null;

  @ApiProperty({ ...ULID, nullable: true, description: 'the booking of a scheduled call' })
  booking_id!: string | null;

  @ApiProperty({ type: ParticipantSchema })
  host!: ParticipantSchema;

  @ApiProperty({ type: ParticipantSchema })
  guest!: ParticipantSchema;

  @ApiProperty(RATE_PER_MINUTE)
  rate_per_minute!: string;

  @ApiProperty({ type: 'integer', example: 10 })
  window_size_minutes!: number;

  @ApiProperty({ enum: ['usd'] })
  currency!: 'usd';

  @ApiProperty(INSTANT)
  created_at!: string;

  @ApiProperty({ ...INSTANT, nullable: true, description: 'when the host joined and the clock started' })
  started_at!: string | null;

  @ApiProperty({ ...INSTANT, nullable: true })
  ended_at!: string | null;

  @ApiProperty({ enum: CALL_END_REASONS, enumName: 'EndReason', nullable: true })
  end_reason!: EndReason | null;

  @ApiProperty({ type: 'integer', example: 450 })
  duration_seconds!: number;

  @ApiProperty({ type: 'integer', example: 8, description: 'ceil(duration_seconds / 60)' })
  billed_minutes!: number;

  @ApiProperty({ ...MONEY, example: '20.00', description: 'billed_minutes × rate_per_minute' })
  total_charged!: string;
}

@ApiSchemaOf<TurnCredentials>('TurnCredentials', "coturn's REST scheme (decision 15)")
export class TurnCredentialsSchema implements TurnCredentials {
  @ApiProperty({ type: [String], example: ['turn:turn.vidivo.app:3478'] })
  urls!: string[];

  @ApiProperty({ example: '1710090000:01JN2X6M0P5H9SRBTXY8ZDKEFG', description: '<expiry unix seconds>:<participant id>' })
  username!: string;

  @ApiProperty({ description: 'base64(HMAC-SHA1(TURN secret, username))' })
  credential!: string;
}

@ApiSchemaOf<SignalingAccess>('SignalingAccess')
export class SignalingAccessSchema implements SignalingAccess {
  @ApiProperty({ example: 'st_eyJhbGciOiJSUzI1NiJ9…', description: 'Connects to signaling_url for 5 minutes' })
  signaling_token!: string;

  @ApiProperty({ example: 'wss://signal.vidivo.app/signal/ws' })
  signaling_url!: string;

  @ApiProperty({ type: TurnCredentialsSchema })
  turn_credentials!: TurnCredentialsSchema;
}

@ApiSchemaOf<JoinCallResponse>('JoinCallResponse')
export class JoinCallResponseSchema extends SignalingAccessSchema implements JoinCallResponse {
  @ApiProperty({ type: CallSchema })
  call!: CallSchema;

  @ApiPropertyOptional({ description: 'Only for a caller who came without a token: its Bearer token from now on (decision 8)' })
  guest_token?: string;
}

@ApiSchemaOf<HostJoinResponse>('HostJoinResponse')
export class HostJoinResponseSchema extends SignalingAccessSchema implements HostJoinResponse {
  @ApiProperty({ type: CallSchema })
  call!: CallSchema;
}

@ApiSchemaOf<EndCallResponse>('EndCallResponse')
export class EndCallResponseSchema implements EndCallResponse {
  @ApiProperty({ type: CallSchema })
  call!: CallSchema;
}

@ApiSchemaOf<Page<CallDto>>('CallPage')
export class CallPageSchema extends PageSchema implements Page<CallDto> {
  @ApiProperty({ type: [CallSchema] })
  data!: CallSchema[];
}
