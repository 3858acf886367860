import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { HealthRegistry, ReadinessReport } from './health-registry';

@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** Liveness: answers while the process runs; dependencies do not matter here. */
  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 200 when every registered check passes, 503 naming the failing ones otherwise. */
  @Get('ready')
  async ready(): Promise<ReadinessReport> {
    const report = await this.registry.report();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}
