import 'reflect-metadata';
import { bootstrapService } from '@switchboard/service-kit';
import { AppModule } from './app/app.module';
import { SERVICE_NAME } from './app/config';

void bootstrapService({ module: AppModule, service: SERVICE_NAME, natsQueue: SERVICE_NAME });
