import { Type } from 'class-transformer';
import { IsDefined, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { ActorMessage } from '../message-fields';
import { UpdateMeRequest } from './users.dto';

export class UpdateMeMessage extends ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => UpdateMeRequest)
  changes!: UpdateMeRequest;
}

export class UserIdMessage {
  @IsString()
  @Length(26, 26)
  user_id!: string;
}

/** Lenient on purpose: a name no account could have is simply not found (404), not a bad request. */
export class UsernameMessage {
  @IsString()
  @MaxLength(100)
  username!: string;
}
