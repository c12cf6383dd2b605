import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { PeriodicJobs } from './periodic-jobs';

/**
 * Periodic jobs for the modules that have some. The scheduler's forRoot is evaluated once, here,
 * so however many modules of a composed process import this one, the process gets one registry.
 */
@Module({
  imports: [ScheduleModule.forRoot()],
  providers: [PeriodicJobs],
  exports: [PeriodicJobs],
})
export class JobsModule {}
