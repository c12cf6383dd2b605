import { Module } from '@nestjs/common';
import { DatabaseModule } from '@vidivo/platform';
import { linksDatabase } from './links.database';
import { LinksHandler } from './links/links.handler';
import { LinksService } from './links/links.service';

/** Call links: create, list, deactivate, and the public join-page view. */
@Module({
  imports: [DatabaseModule.forDomain(linksDatabase)],
  controllers: [LinksHandler],
  providers: [LinksService],
})
export class LinksModule {}
