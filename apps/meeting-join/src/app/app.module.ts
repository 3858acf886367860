import { Module } from '@nestjs/common';
import { platformModules } from '@switchboard/service-kit';
import { meetingJoinConfigSchema, SERVICE_NAME } from './config';

/** Meeting joins arrive in later modules; for now the service boots with its platform plumbing. */
@Module({ imports: [...platformModules(SERVICE_NAME, meetingJoinConfigSchema)] })
export class AppModule {}
