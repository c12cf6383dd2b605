import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  AvailabilityDto,
  AvailabilityRequest,
  AvailabilitySchema,
  BookRequest,
  BookingDto,
  BookingPageSchema,
  BookingSchema,
  CancelBookingRequest,
  Page,
  PageQuery,
  SlotsQuery,
  SlotsResponse,
  SlotsResponseSchema,
} from '@vidivo/contracts';
import { CurrentActor, MessageBus, Public, Roles } from '@vidivo/platform';
import type { Response } from 'express';
import { ApiErrors, ApiIdempotencyKey, WHEN } from '../openapi/openapi.decorators';

const NOT_A_HOST = 'the caller is not a host or admin';
const NOT_A_PARTICIPANT = 'the caller is not a participant of this booking';

@ApiTags('schedule')
@Controller('v1/schedule')
export class ScheduleController {
  constructor(private readonly bus: MessageBus) {}

  @Put('availability')
  @Roles('host', 'admin')
  @ApiOperation({ summary: "Set the caller's availability (hosts)" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: AvailabilitySchema })
  @ApiErrors({ 400: `${WHEN.invalidBody}, a window ends before it starts, or a date is overridden twice`, 401: WHEN.noToken, 403: NOT_A_HOST })
  putAvailability(@CurrentActor() actor: Actor, @Body() availability: AvailabilityRequest): Promise<AvailabilityDto> {
    return this.bus.request('scheduling.availability.put', { actor, availability });
  }

  @Get('availability')
  @Roles('host', 'admin')
  @ApiOperation({ summary: "The caller's availability (hosts)" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: AvailabilitySchema })
  @ApiErrors({ 401: WHEN.noToken, 403: NOT_A_HOST, 404: 'no availability set yet' })
  getAvailability(@CurrentActor() actor: Actor): Promise<AvailabilityDto> {
    return this.bus.request('scheduling.availability.get', { actor });
  }

  @Get('mine')
  @ApiOperation({ summary: "The caller's bookings, as host or guest" })
  @ApiBearerAuth()
  @ApiOkResponse({ type: BookingPageSchema })
  @ApiErrors({ 400: WHEN.invalidBody, 401: WHEN.noToken })
  mine(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<BookingDto>> {
    return this.bus.request('scheduling.mine', { actor, query });
  }

  @Post('book')
  @ApiOperation({ summary: 'Book a call with a host', description: 'The booking id is also the call id for `POST /v1/calls/{id}/join`.' })
  @ApiBearerAuth()
  @ApiIdempotencyKey()
  @ApiCreatedResponse({ type: BookingSchema })
  @ApiErrors({
    400: `the time is past or outside the host's availability, or the caller is the host; ${WHEN.invalidBodyOrKey}`,
    401: WHEN.noToken,
    404: 'host not found',
    409: `the time slot is already booked, or ${WHEN.keyInFlight}`,
    422: WHEN.keyReused,
  })
  book(@CurrentActor() actor: Actor, @Body() request: BookRequest): Promise<BookingDto> {
    return this.bus.request('scheduling.book', { actor, request });
  }

  @Put(':id/cancel')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a booking (host or guest)' })
  @ApiBearerAuth()
  @ApiBody({ type: CancelBookingRequest, required: false })
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrors({ 400: WHEN.invalidBody, 401: WHEN.noToken, 403: NOT_A_PARTICIPANT, 404: 'no such booking', 409: 'the booking is already cancelled' })
  async cancel(@CurrentActor() actor: Actor, @Param('id') bookingId: string, @Body() request: CancelBookingRequest): Promise<void> {
    await this.bus.request('scheduling.cancel', { actor, booking_id: bookingId, request });
  }

  @Get(':id/calendar')
  @ApiOperation({ summary: 'An .ics invite for a booking' })
  @ApiBearerAuth()
  @ApiOkResponse({
    description: 'An iCalendar VEVENT (RFC 5545); `STATUS:CANCELLED` once cancelled',
    content: { 'text/calendar': { schema: { type: 'string' } } },
    headers: { 'Content-Disposition': { description: 'attachment; filename=vidivo-call.ics', schema: { type: 'string' } } },
  })
  @ApiErrors({ 401: WHEN.noToken, 403: NOT_A_PARTICIPANT, 404: 'no such booking' })
  async calendar(@CurrentActor() actor: Actor, @Param('id') bookingId: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const file = await this.bus.request('scheduling.calendar', { actor, booking_id: bookingId });
    // Set here, not with @Header: a refusal must keep its JSON error envelope's content type.
    response.setHeader('Content-Type', 'text/calendar; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename=${file.filename}`);
    return file.ics;
  }

  /** Declared last: the fixed paths above are not usernames (identity reserves them). */
  @Public()
  @Get(':username')
  @ApiOperation({ summary: "A host's time slots for a date range" })
  @ApiOkResponse({ type: SlotsResponseSchema })
  @ApiErrors({ 400: 'dates missing or invalid, end before start, or a range over 62 days', 404: 'no such host, or no availability' })
  slots(@Param('username') username: string, @Query() query: SlotsQuery): Promise<SlotsResponse> {
    return this.bus.request('scheduling.slots', { username, query });
  }
}
