import { registerAccount } from '@vidivo/testing';
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { WebClientSession, callIdOf } from './web/web-client-session';

/** A host zone where today still has an hour to offer from now, and a guest zone far from it. */
function zones(now: DateTime): { host: string; guest: string } {
  const host = ['America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'America/Los_Angeles'].find((zone) => {
    const local = now.setZone(zone);
    return local.hour >= 1 && local.hour < 22;
  })!;
  return { host, guest: host === 'Asia/Tokyo' ? 'Pacific/Auckland' : 'Asia/Tokyo' };
}

/**
 * Booking in a real browser (decision 30): the host publishes availability in the console in their
 * zone, a guest in another zone sees the slots in their own, signs up, books, downloads the
 * `.ics`, and both join the booked call from its page at the time — video both ways, and the
 * guest's card held then.
 */
describe('booking a host in a real browser (standalone)', () => {
  const session = new WebClientSession();

  beforeAll(() => session.start(), 90_000);
  afterAll(() => session.stop());
  afterEach(() => session.closePages());

  it('a guest in another time zone books a slot, gets the .ics, and both join at the time', async () => {
    const now = DateTime.utc();
    const zone = zones(now);
    const host = await registerAccount(session.api, 'host');

    // The host's hours today, in the host's zone: from the next five minutes on, for an hour.
    const fiveMinutes = 5 * 60_000;
    const start = DateTime.fromMillis(Math.ceil((now.toMillis() + 2 * 60_000) / fiveMinutes) * fiveMinutes).setZone(zone.host);
    const end = start.plus({ hours: 1 });
    const day = start.toFormat('cccc');
    const hostPage = await session.signIn(host);
    await hostPage.getByLabel('Time zone').selectOption(zone.host);
    await hostPage.getByLabel('Booking price per minute (USD)').fill('3.00');
    await hostPage.getByLabel('Booking hold window (minutes)').fill('10');
    await hostPage.getByLabel('Slot length (minutes)').fill('30');
    await hostPage.getByLabel(day, { exact: true }).check();
    await hostPage.getByLabel(`${day} from`).fill(start.toFormat('HH:mm'));
    await hostPage.getByLabel(`${day} to`).fill(end.toFormat('HH:mm'));
    await hostPage.getByRole('button', { name: 'Save availability' }).click();
    await hostPage.getByText('Availability saved.').waitFor();

    // The guest, in another zone, sees the first slot at its time in the guest's own zone.
    const guestPage = await session.newPage('booking-guest', { timezoneId: zone.guest });
    await guestPage.goto(`${session.web}/book/${host.username}`);
    expect(await guestPage.locator('#visitor-zone').textContent()).toBe(zone.guest);
    const slotStart = start.toUTC();
    const inGuestZone = slotStart.setZone(zone.guest);
    const slot = guestPage.locator(`#slots button[data-start="${slotStart.toISO({ suppressMilliseconds: true })}"]`);
    expect(await slot.textContent()).toBe(`${inGuestZone.toFormat('HH:mm')}–${inGuestZone.plus({ minutes: 30 }).toFormat('HH:mm')}`);
    await slot.click();
    await session.screenshot(guestPage, 'book');

    // Not signed in: create an account and come back to the same choice.
    await guestPage.getByRole('link', { name: 'create an account' }).click();
    await guestPage.getByLabel('Your name').fill('Bea Booker');
    await guestPage.getByLabel(/^Username/).fill(`bea_${Date.now().toString(36)}`);
    await guestPage.getByLabel('Email').fill(`bea.${Date.now()}@example.com`);
    await guestPage.getByLabel(/^Password/).fill('correct horse battery');
    await guestPage.getByRole('button', { name: 'Create account' }).click();
    await guestPage.waitForURL(/\/book\//);
    await guestPage.getByLabel('Note for').fill('First session');
    await guestPage.getByRole('button', { name: 'Book this time' }).click();
    await guestPage.waitForURL(/\/bookings\/[0-9A-Z]{26}$/);
    const bookingId = callIdOf(guestPage);
    expect(await guestPage.locator('#booking-when').textContent()).toContain(inGuestZone.toFormat('HH:mm'));
    await session.screenshot(guestPage, 'booking-guest');

    // The invite: the booked time in UTC and the link back to this page.
    const [download] = await Promise.all([guestPage.waitForEvent('download'), guestPage.getByRole('button', { name: 'Download invite (.ics)' }).click()]);
    expect(download.suggestedFilename()).toBe('vidivo-call.ics');
    const ics = readFileSync(await download.path(), 'utf8').replace(/\r\n[ \t]/g, '');
    expect(ics).toMatch(new RegExp(`^DTSTART:${slotStart.toFormat("yyyyMMdd'T'HHmmss'Z'")}\\r?$`, 'm'));
    expect(ics).toContain(`${session.web}/bookings/${bookingId}`);

    // The guest joins from the booking page with a card; the host from the console's booking.
    await guestPage.locator('input[name=card][value=pm_card_visa]').check();
    await guestPage.getByRole('button', { name: 'Join the call' }).click();
    await guestPage.waitForURL(`${session.web}/call/${bookingId}`);

    await hostPage.reload();
    await hostPage.locator('#bookings li', { hasText: 'Bea Booker' }).getByRole('link', { name: 'Open' }).click();
    await hostPage.waitForURL(`${session.web}/bookings/${bookingId}`);
    await session.screenshot(hostPage, 'booking-host');
    await hostPage.getByRole('button', { name: 'Join the call' }).click();
    await hostPage.waitForURL(`${session.web}/call/${bookingId}`);

    await Promise.all([session.remoteVideoPlays(guestPage), session.remoteVideoPlays(hostPage)]);
    // A few seconds of talk: a call under a second is billed no minute (billed minutes are the ceiling of whole seconds).
    await guestPage.locator('#call-timer', { hasText: /^00:0[3-9]$/ }).waitFor();
    await guestPage.getByRole('button', { name: 'End call' }).click();
    for (const page of [guestPage, hostPage]) await page.locator('#summary-total').waitFor();
    const call = await session.api.get(`/v1/calls/${bookingId}`, { token: host.token });
    expect(call.body).toMatchObject({ status: 'completed', billed_minutes: 1, total_charged: '3.00' });
    expect(await guestPage.locator('#summary-total').textContent()).toBe('$3.00');

    // The guest's home lists the booking.
    await guestPage.goto(`${session.web}/`);
    await guestPage.locator('#my-bookings li', { hasText: host.username }).getByRole('link', { name: 'Open' }).waitFor();
    await session.screenshot(guestPage, 'home-guest');

    // The console's history has the call and its total.
    await hostPage.goto(`${session.web}/host`);
    await hostPage.locator('#history li', { hasText: 'Bea Booker' }).waitFor();
    expect(await hostPage.locator('#history li', { hasText: 'Bea Booker' }).textContent()).toContain('$3.00');
    await session.screenshot(hostPage, 'host-console-history');
    expect(session.pageErrors).toEqual([]);
  }, 180_000);
  it('a guest whose card needs authentication joins a booked call through the bank page and back', async () => {
    const host = await registerAccount(session.api, 'host');
    const hours = await session.api.put(
      '/v1/schedule/availability',
      {
        timezone: 'UTC',
        rate_per_minute: '2.00',
        window_size_minutes: 10,
        slot_minutes: 15,
        weekly: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, start: '00:00', end: '24:00' })),
        min_notice_minutes: 0,
      },
      { token: host.token },
    );
    expect(hours.status).toBe(200);
    const guest = await registerAccount(session.api, 'user');
    const minute = 60_000;
    const scheduledAt = new Date(Math.ceil((Date.now() + minute) / minute) * minute).toISOString();
    const booking = await session.api.post('/v1/schedule/book', { host_username: host.username, scheduled_at: scheduledAt, duration_minutes: 30 }, { token: guest.token });
    expect(booking.status).toBe(201);

    // The first join is refused with 402 payment_action_required, on purpose.
    const page = await session.signIn(guest, '/', [{ path: `/v1/calls/${booking.body.id}/join`, status: 402 }]);
    await page.goto(`${session.web}/bookings/${booking.body.id}`);
    await page.locator('input[name=card][value=pm_card_threeDSecure2Required]').check();
    await page.getByRole('button', { name: 'Join the call' }).click();
    await page.waitForURL(/\/_emulator\/authenticate\/pi_/);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    // Back on the booking's page, which joins with the authenticated PaymentIntent.
    await page.waitForURL(`${session.web}/call/${booking.body.id}`);
    await page.locator('.call-status', { hasText: 'Waiting for' }).waitFor();
    const call = await session.api.get(`/v1/calls/${booking.body.id}`, { token: guest.token });
    expect(call.body).toMatchObject({ status: 'waiting', booking_id: booking.body.id });
    const intents = await session.emulator.paymentIntents({ callId: booking.body.id });
    expect(intents.map((intent) => intent.status)).toEqual(['requires_capture']);
    await page.getByRole('button', { name: 'End call' }).click();
    await page.locator('#summary-total', { hasText: '$0.00' }).waitFor();
    expect(session.pageErrors).toEqual([]);
  }, 90_000);
});
