import { Type } from 'class-transformer';
import { IsString, Length, Matches, ValidateNested } from 'class-validator';
import { ActorMessage } from '../message-fields';
import { USERNAME_PATTERN } from './auth.dto';
import { UpdateMeRequest } from './users.dto';

export class UpdateMeMessage extends ActorMessage {
  @ValidateNested()
  @Type(() => UpdateMeRequest)
  changes!: UpdateMeRequest;
}

export class UserIdMessage {
  @IsString()
  @Length(26, 26)
  user_id!: string;
}

export class UsernameMessage {
  @IsString()
  @Matches(USERNAME_PATTERN)
  username!: string;
}
