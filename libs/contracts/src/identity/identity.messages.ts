import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
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

/** Internal: names and email addresses of participants, for calendar invites. */
export class UserIdsMessage {
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(26, 26, { each: true })
  user_ids!: string[];
}

export interface ContactDto {
  id: string;
  display_name: string;
  email: string | null;
}
