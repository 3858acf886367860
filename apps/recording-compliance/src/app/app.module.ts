import { Module } from '@nestjs/common';
import { platformModules } from '@switchboard/service-kit';
import { ComplianceController } from './api/compliance.controller';
import { complianceConfigSchema, SERVICE_NAME } from './config';
import { GrantsModule } from './grants/grants.module';

/** The recording-status gate: grants, the audit trail and its REST API. */
@Module({ imports: [...platformModules(SERVICE_NAME, complianceConfigSchema), GrantsModule], controllers: [ComplianceController] })
export class AppModule {}
