import { Actor, ContactDto, PublicProfileDto, Role } from '@vidivo/contracts';
import { AppError } from '@vidivo/platform';
import { ulid } from 'ulid';
import { IdentityClient } from '../identity/identity.client';

/** Someone identity knows: enough for a profile, a contact and an actor. */
export interface Person {
  id: string;
  username: string;
  display_name: string;
  email: string;
  role: Role;
}

/** Identity as a list of people, answering as identity does (404 for an unknown username). */
export class FakeIdentityClient extends IdentityClient {
  private readonly people: Person[] = [];

  /** Someone new; the username also makes the name and the email. */
  add(username: string, role: Role = 'user'): Person {
    const person: Person = { id: ulid(), username, display_name: `${username} (display)`, email: `${username}@example.com`, role };
    this.people.push(person);
    return person;
  }

  async profileByUsername(username: string): Promise<PublicProfileDto> {
    const person = this.people.find((candidate) => candidate.username === username);
    if (!person) throw AppError.notFound('User');
    return profileOf(person);
  }

  async profile(userId: string): Promise<PublicProfileDto> {
    const person = this.people.find((candidate) => candidate.id === userId);
    if (!person) throw AppError.notFound('User');
    return profileOf(person);
  }

  async contacts(userIds: string[]): Promise<ContactDto[]> {
    return this.people.filter((person) => userIds.includes(person.id)).map(({ id, display_name, email }) => ({ id, display_name, email }));
  }
}

function profileOf({ id, display_name, username }: Person): PublicProfileDto {
  return { id, display_name, username, avatar_url: null };
}

/** The person as the edge passes them along with a message. */
export function actorOf({ id, role, username }: Person, asRole: Role = role): Actor {
  return { id, role: asRole, username };
}
