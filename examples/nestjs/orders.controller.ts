import { Body, Controller, Post } from '@nestjs/common';
import { PaymentsClient, type Payment } from './payments.client.js';

@Controller('orders')
export class OrdersController {
  private next = 1;

  constructor(private readonly payments: PaymentsClient) {}

  @Post()
  async create(@Body() body: { amount: number }): Promise<{ id: string; payment: Payment }> {
    const id = `ORD${String(this.next++)}`;
    return { id, payment: await this.payments.charge(id, body.amount) };
  }
}
