import { MigrationInterface, QueryRunner } from 'typeorm';

/** Which card each hold was tried with: a booked call's guest may retry with another card after a decline. */
export class HoldPaymentMethods1764100500000 implements MigrationInterface {
  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE billing.holds ADD COLUMN payment_method_id text`);
    await db.query(`UPDATE billing.holds h SET payment_method_id = a.payment_method_id FROM billing.call_accounts a WHERE a.call_id = h.call_id`);
    await db.query(`ALTER TABLE billing.holds ALTER COLUMN payment_method_id SET NOT NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE billing.holds DROP COLUMN payment_method_id`);
  }
}
