import { Body, Controller, Get, Header, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { Actor, AvailabilityDto, AvailabilityRequest, BookRequest, BookingDto, CancelBookingRequest, Page, PageQuery, SlotsQuery, SlotsResponse } from '@vidivo/contracts';
import { CurrentActor, MessageBus, Public, Roles } from '@vidivo/platform';
import type { Response } from 'express';

@Controller('v1/schedule')
export class ScheduleController {
  constructor(private readonly bus: MessageBus) {}

  @Put('availability')
  @Roles('host', 'admin')
  putAvailability(@CurrentActor() actor: Actor, @Body() availability: AvailabilityRequest): Promise<AvailabilityDto> {
    return this.bus.request('scheduling.availability.put', { actor, availability });
  }

  @Get('availability')
  @Roles('host', 'admin')
  getAvailability(@CurrentActor() actor: Actor): Promise<AvailabilityDto> {
    return this.bus.request('scheduling.availability.get', { actor });
  }

  @Get('mine')
  mine(@CurrentActor() actor: Actor, @Query() query: PageQuery): Promise<Page<BookingDto>> {
    return this.bus.request('scheduling.mine', { actor, query });
  }

  @Post('book')
  book(@CurrentActor() actor: Actor, @Body() request: BookRequest): Promise<BookingDto> {
    return this.bus.request('scheduling.book', { actor, request });
  }

  @Put(':id/cancel')
  @HttpCode(204)
  async cancel(@CurrentActor() actor: Actor, @Param('id') bookingId: string, @Body() request: CancelBookingRequest): Promise<void> {
    await this.bus.request('scheduling.cancel', { actor, booking_id: bookingId, request });
  }

  @Get(':id/calendar')
  @Header('Content-Type', 'text/calendar; charset=utf-8')
  async calendar(@CurrentActor() actor: Actor, @Param('id') bookingId: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const file = await this.bus.request('scheduling.calendar', { actor, booking_id: bookingId });
    response.setHeader('Content-Disposition', `attachment; filename=${file.filename}`);
    return file.ics;
  }

  /** Declared last: the fixed paths above are not usernames (identity reserves them). */
  @Public()
  @Get(':username')
  slots(@Param('username') username: string, @Query() query: SlotsQuery): Promise<SlotsResponse> {
    return this.bus.request('scheduling.slots', { username, query });
  }
}
