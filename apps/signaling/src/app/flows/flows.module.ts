import { Global, Module } from '@nestjs/common';
import { APP_CONFIG } from '@switchboard/service-kit';
import type { SignalingConfig } from '../config';
import { FlowCatalog } from './flow-catalog';

/** The flows and routing rules, validated at boot: an invalid flow file stops the service with its line numbers. */
@Global()
@Module({
  providers: [{ provide: FlowCatalog, useFactory: (config: SignalingConfig) => FlowCatalog.load(config.ROUTING_FILE, config.PROMPT_URI), inject: [APP_CONFIG] }],
  exports: [FlowCatalog],
})
export class FlowsModule {}
