import 'reflect-metadata';
import { bootstrapService } from '@switchboard/service-kit';
import { SignalingModule } from './app/app.module';

// POST /api/calling reads its own body, up to WEBHOOK_BODY_LIMIT_BYTES (webhook/calling-webhook.ts).
void bootstrapService({ module: SignalingModule, service: 'signaling' });
