import { Module } from '@nestjs/common';
import { ConfigModule, HealthModule, LoggingModule, MetricsModule, NatsModule } from '@switchboard/service-kit';
import { CallControlModule } from './call-control/call-control.module';
import { signalingConfigSchema } from './config';
import { CustomerWebhooksModule } from './customer-webhooks/customer-webhooks.module';
import { FlowsModule } from './flows/flows.module';
import { GraphModule } from './graph/graph.module';
import { JetStreamModule } from './jetstream/jetstream.module';
import { OrchestrationModule } from './orchestration/orchestration.module';
import { WebhookModule } from './webhook/webhook.module';

@Module({
  imports: [
    ConfigModule.forRoot(signalingConfigSchema),
    LoggingModule.forRoot({ service: 'signaling' }),
    HealthModule.forRoot(),
    MetricsModule.forRoot({ service: 'signaling' }),
    NatsModule.forRoot({ name: 'signaling' }),
    JetStreamModule,
    GraphModule,
    FlowsModule,
    WebhookModule,
    OrchestrationModule,
    CustomerWebhooksModule,
    CallControlModule,
  ],
})
export class SignalingModule {}
