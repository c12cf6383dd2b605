import { AppError } from '@vidivo/platform';
import { ScriptedBus, standIn } from '../testing';
import { HostProfiles } from './host-profiles';

describe('HostProfiles', () => {
  let bus: ScriptedBus;
  let profiles: HostProfiles;
  let name: string;

  beforeEach(() => {
    bus = new ScriptedBus();
    name = 'Hana Host';
    bus.answer('identity.users.public-profile', ({ user_id }) => ({ id: user_id, display_name: name, avatar_url: null, username: 'hana' }));
    profiles = new HostProfiles(standIn(bus));
  });

  it('asks identity again once a minute has passed, and sees a new name then', async () => {
    const start = Date.now();
    expect((await profiles.of('host-1', start)).display_name).toBe('Hana Host');
    name = 'Hana H.';
    expect((await profiles.of('host-1', start + 59_000)).display_name).toBe('Hana Host');
    expect((await profiles.of('host-1', start + 60_001)).display_name).toBe('Hana H.');
    expect(bus.sent('identity.users.public-profile')).toHaveLength(2);
  });

  it('does not keep a failed answer', async () => {
    bus.answer('identity.users.public-profile', () => {
      throw AppError.serviceUnavailable('No answer from identity.users.public-profile');
    });
    await expect(profiles.of('host-1')).rejects.toMatchObject({ code: 'service_unavailable' });
    bus.answer('identity.users.public-profile', ({ user_id }) => ({ id: user_id, display_name: name, avatar_url: null, username: 'hana' }));
    expect((await profiles.of('host-1')).display_name).toBe('Hana Host');
    expect(bus.sent('identity.users.public-profile')).toHaveLength(2);
  });
});
