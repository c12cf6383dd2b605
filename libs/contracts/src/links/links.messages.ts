import { Type } from 'class-transformer';
import { IsDefined, IsString, ValidateNested } from 'class-validator';
import { ActorMessage } from '../message-fields';
import { CreateLinkRequest } from './links.dto';

export class CreateLinkMessage extends ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => CreateLinkRequest)
  link!: CreateLinkRequest;
}

export class DeactivateLinkMessage extends ActorMessage {
  @IsString()
  link_id!: string;
}

export class ShortCodeMessage {
  @IsString()
  short_code!: string;
}
