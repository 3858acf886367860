import { Module } from '@nestjs/common';
import { platformModules } from '@switchboard/service-kit';
import { complianceConfigSchema, SERVICE_NAME } from './config';

/** The recording-status gate arrives in later modules; for now the service boots with its platform plumbing. */
@Module({ imports: [...platformModules(SERVICE_NAME, complianceConfigSchema)] })
export class AppModule {}
