import { BadRequestException, Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { CustomerWebhooks } from './customer-webhooks';
import type { DeliveryRecord } from './delivery-log';
import { InvalidDeliveryQuery, parseDeliveryQuery } from './delivery-query';
import type { SubscriptionView } from './subscriptions';

/** Read-only views of the subscriptions and the delivery log; no secret is ever part of a response. */
@Controller('v1/webhooks')
export class CustomerWebhooksController {
  constructor(@Inject(CustomerWebhooks) private readonly webhooks: CustomerWebhooks) {}

  @Get('subscriptions')
  subscriptions(): { subscriptions: SubscriptionView[] } {
    return { subscriptions: this.webhooks.subscriptions() };
  }

  @Get('deliveries')
  async deliveries(@Query() query: unknown): Promise<{ deliveries: DeliveryRecord[] }> {
    let filter;
    try {
      filter = parseDeliveryQuery(query);
    } catch (error) {
      if (error instanceof InvalidDeliveryQuery) throw new BadRequestException(error.message);
      throw error;
    }
    if (filter.subscription !== undefined && !this.webhooks.has(filter.subscription)) {
      throw new NotFoundException(`subscription: no subscription "${filter.subscription}" is configured`);
    }
    return { deliveries: await this.webhooks.deliveries(filter) };
  }
}
