import { Module } from '@nestjs/common';
import { platformModules } from '@switchboard/service-kit';
import { meetingJoinConfigSchema, SERVICE_NAME } from './config';
import { JoinsModule } from './joins/joins.module';

/** meeting-join: the platform plumbing, and joining meetings (REST, NATS commands, workers). */
@Module({ imports: [...platformModules(SERVICE_NAME, meetingJoinConfigSchema), JoinsModule] })
export class AppModule {}
