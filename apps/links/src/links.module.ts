import { Module } from '@nestjs/common';
import { DatabaseModule, EventsModule, PresenceModule } from '@vidivo/platform';
import { linksDatabase } from './links.database';
import { FailedJoinsConsumer } from './links/failed-joins.consumer';
import { LinkClaimsRepository } from './links/link-claims.repository';
import { LinkClaimsService } from './links/link-claims.service';
import { LinksHandler } from './links/links.handler';
import { LINKS_SCHEMA } from './links.schema';
import { LinksRepository } from './links/links.repository';
import { LinksService } from './links/links.service';

/** Call links: create, list, deactivate, the public join-page view, and the uses calls take. */
@Module({
  imports: [DatabaseModule.forDomain(linksDatabase), EventsModule.forDomain({ schema: LINKS_SCHEMA, consumers: [FailedJoinsConsumer] }), PresenceModule],
  controllers: [LinksHandler],
  providers: [LinksService, LinkClaimsService, LinksRepository, LinkClaimsRepository, FailedJoinsConsumer],
})
export class LinksModule {}
