import 'reflect-metadata';
import { bootstrapService } from '@switchboard/service-kit';
import { SignalingModule } from './app/app.module';

void bootstrapService({
  module: SignalingModule,
  service: 'signaling',
  bodyLimit: Number(process.env['WEBHOOK_BODY_LIMIT_BYTES'] ?? 1024 * 1024),
});
