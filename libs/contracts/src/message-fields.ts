import { Type } from 'class-transformer';
import { IsDefined, ValidateNested } from 'class-validator';
import { Actor } from './actor';

/** Base of every message sent on behalf of a signed-in caller. */
export class ActorMessage {
  @IsDefined()
  @ValidateNested()
  @Type(() => Actor)
  actor!: Actor;
}
