import { Injectable } from '@nestjs/common';
import { ContactDto, PublicProfileDto } from '@vidivo/contracts';
import { MessageBus } from '@vidivo/platform';

/** What scheduling asks identity. An abstract class, so Nest injects by it and specs put a fake in its place. */
export abstract class IdentityClient {
  /** 404 when nobody has the username. */
  abstract profileByUsername(username: string): Promise<PublicProfileDto>;
  abstract profile(userId: string): Promise<PublicProfileDto>;
  abstract contacts(userIds: string[]): Promise<ContactDto[]>;
}

/** Identity over the bus, its errors passed on as they come back. */
@Injectable()
export class BusIdentityClient extends IdentityClient {
  constructor(private readonly bus: MessageBus) {
    super();
  }

  profileByUsername(username: string): Promise<PublicProfileDto> {
    return this.bus.request('identity.users.public-profile-by-username', { username });
  }

  profile(userId: string): Promise<PublicProfileDto> {
    return this.bus.request('identity.users.public-profile', { user_id: userId });
  }

  contacts(userIds: string[]): Promise<ContactDto[]> {
    return this.bus.request('identity.users.contacts', { user_ids: userIds });
  }
}
